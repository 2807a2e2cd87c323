"""Every applicant page reads a fixed number of queries, however many rows it shows: each is
measured with one row and with many, and the two counts must be equal. (The list, detail,
review and screening pages have their measured counts pinned in test_views.py and
test_screening.py.)"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services
from tests.factories import RDProjectFactory, SubFieldFactory
from tests.factories.applicant import DocumentFactory, eligible_application, supplement_round_trips
from tests.factories.panels import UnsuitableExpertRequestFactory

pytestmark = pytest.mark.django_db

# The product step shows no rows (a plain form): its count is pinned by the wizard tests.
STEPS = ["round", "projects", "documents", "declarations"]


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def grow_draft(app, n: int = 10) -> None:
    for _ in range(n):
        DocumentFactory(application=app)
        app.rd_projects.add(RDProjectFactory())
        UnsuitableExpertRequestFactory(application=app)
        app.round.subfields.add(SubFieldFactory())


@pytest.mark.parametrize("step", STEPS)
def test_wizard_step_reads_the_same_queries_at_one_and_many_rows(client, step):
    app = eligible_application()
    client.force_login(app.created_by)
    url = reverse("applications:step", args=[app.pk, step])
    client.get(url)  # the first request of a session writes its activity stamp
    one = queries(client, url)
    grow_draft(app)
    assert queries(client, url) == one


def test_project_search_reads_the_same_queries_for_one_and_many_matches(client):
    app = eligible_application()
    client.force_login(app.created_by)
    RDProjectFactory(ntis_number="RS-2020-00000001", title="재난 감지 센서 실증 1")
    url = reverse("applications:project_search", args=[app.pk]) + "?q=재난 감지"
    client.get(url)
    one = queries(client, url)
    for i in range(2, 30):
        RDProjectFactory(ntis_number=f"RS-2020-{i:08d}", title=f"재난 감지 센서 실증 {i}")
    assert queries(client, url) == one


def test_receipt_and_version_comparison_read_the_same_queries_at_one_and_many_rows(client, officer):
    app = eligible_application()
    services.application_submit(application=app, by=app.created_by)
    supplement_round_trips(app, officer, 1)
    client.force_login(app.created_by)
    urls = [
        reverse("applications:receipt", args=[app.pk]),
        reverse("applications:version_diff", args=[app.pk]),
    ]
    client.get(urls[0])
    before = [queries(client, url) for url in urls]
    for _ in range(10):
        DocumentFactory(application=app)
        app.rd_projects.add(RDProjectFactory())
    supplement_round_trips(app, officer, 4)
    app.refresh_from_db()
    assert app.versions.count() == 6
    assert [queries(client, url) for url in urls] == before
