"""Every submitted version is kept; the diff shows changed fields, projects and documents."""

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import selectors, services
from applications.enums import DocumentKind
from applications.models import ApplicationVersion
from applications.uploads import validate_upload
from tests.factories import MembershipFactory
from tests.factories.applicant import eligible_application, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def answered(officer):
    app = eligible_application()
    services.application_submit(application=app, by=app.created_by)
    services.application_request_supplement(application=app, by=officer, reason="x")
    upload = pdf_upload("보완 성적서.pdf")
    services.application_answer_supplement(
        application=app,
        by=app.created_by,
        comment="보완합니다",
        documents=[
            {
                "kind": DocumentKind.TEST_REPORT,
                "title": "",
                "uploaded": upload,
                "checked": validate_upload(upload),
                "issue_date": timezone.localdate(),
                "expiry_date": None,
            }
        ],
    )
    return app


def test_submission_stores_version_one_with_fields_projects_and_documents():
    app = eligible_application()
    services.application_submit(application=app, by=app.created_by)
    version = ApplicationVersion.objects.get(application=app)
    assert version.number == 1
    assert version.snapshot["fields"]["product_name"] == app.product_name
    assert [p["ntis_number"] for p in version.snapshot["projects"]] == [
        p.ntis_number for p in app.rd_projects.all()
    ]
    assert len(version.snapshot["documents"]) == 2


def test_diff_lists_the_added_document_only(answered):
    v1, v2 = answered.versions.order_by("number")
    diff = selectors.version_diff(v1.snapshot, v2.snapshot)
    assert diff["fields"] == []
    assert [d["original_name"] for d in diff["documents_added"]] == ["보완 성적서.pdf"]
    assert diff["documents_removed"] == [] and diff["projects_added"] == []


def test_diff_of_fields_and_projects():
    older = {
        "fields": {"product_name": "A", "trl": 7},
        "projects": [{"ntis_number": "1711000001", "title": "x"}],
        "documents": [],
    }
    newer = {
        "fields": {"product_name": "B", "trl": 7},
        "projects": [{"ntis_number": "1711000002", "title": "y"}],
        "documents": [],
    }
    diff = selectors.version_diff(older, newer)
    assert diff["fields"] == [{"name": "product_name", "old": "A", "new": "B"}]
    assert diff["projects_added"] == [{"ntis_number": "1711000002", "title": "y"}]
    assert diff["projects_removed"] == [{"ntis_number": "1711000001", "title": "x"}]


def test_diff_page_for_owner_and_officer_but_not_others(client, answered, officer):
    url = reverse("applications:version_diff", args=[answered.pk])
    client.force_login(answered.created_by)
    resp = client.get(url)
    assert resp.status_code == 200 and "보완 성적서.pdf" in resp.content.decode()
    client.force_login(officer)
    assert client.get(url, {"a": 1, "b": 2}).status_code == 200
    client.force_login(MembershipFactory().user)
    assert client.get(url).status_code == 404


def test_diff_page_with_an_unknown_version_is_404(client, answered):
    client.force_login(answered.created_by)
    url = reverse("applications:version_diff", args=[answered.pk])
    assert client.get(url, {"a": 1, "b": 9}).status_code == 404
    assert client.get(url, {"a": "x"}).status_code == 404
