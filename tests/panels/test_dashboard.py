import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState as S
from panels.enums import AssignmentState
from tests.factories import ExpertProfileFactory, UserFactory
from tests.factories.reviews import AssignmentFactory, ReviewFactory, make_panel, submitted_review

pytestmark = pytest.mark.django_db


def _rows(html: str) -> int:
    body = html.split('id="assigned-heading"', 1)[1]
    return body.count("<tr>") - 1  # minus the header row


def test_dashboard_lists_only_my_invited_and_accepted_assignments(client):
    panel = make_panel()
    me = panel.assignments[0].expert
    other = make_panel(subfield=panel.application.subfield)
    other.assignments[0].expert = me
    other.assignments[0].state = AssignmentState.INVITED
    other.assignments[0].save()
    proposed = make_panel(subfield=panel.application.subfield)
    proposed.assignments[0].expert = me
    proposed.assignments[0].state = AssignmentState.PROPOSED
    proposed.assignments[0].save()
    client.force_login(me.user)
    html = client.get(reverse("panels:dashboard")).content.decode()
    assert panel.application.reference in html
    assert other.application.reference in html
    assert proposed.application.reference not in html
    assert _rows(html) == 2


def test_dashboard_shows_deadline_days_left_and_status(client):
    deadline = timezone.now() + dt.timedelta(days=10)
    panel = make_panel(review_deadline=deadline)
    a, b, c = panel.assignments
    ReviewFactory(assignment=b)
    client.force_login(a.expert.user)
    html = client.get(reverse("panels:dashboard")).content.decode()
    assert timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M") in html
    assert "10 days left" in html
    assert "Not started" in html
    assert panel.application.subfield.name in html
    client.force_login(b.expert.user)
    assert "Draft" in client.get(reverse("panels:dashboard")).content.decode()
    submitted_review(c, [80, 70, 90, 60])
    client.force_login(c.expert.user)
    assert "Submitted" in client.get(reverse("panels:dashboard")).content.decode()


def test_dashboard_shows_overdue_days(client):
    panel = make_panel(review_deadline=timezone.now() - dt.timedelta(days=2))
    client.force_login(panel.assignments[0].expert.user)
    assert "2 days overdue" in client.get(reverse("panels:dashboard")).content.decode()


def test_dashboard_before_the_pledge_names_the_product_only(client):
    panel = make_panel(pledge=False)
    panel.application.product_description = "Secret method"
    panel.application.save()
    client.force_login(panel.assignments[0].expert.user)
    html = client.get(reverse("panels:dashboard")).content.decode()
    assert panel.application.display_product_name in html
    assert "Secret method" not in html
    assert "Sign the pledge" in html


def test_chair_sees_panels_awaiting_consensus(client):
    panel = make_panel(state=S.CONSENSUS)
    in_review = make_panel(subfield=panel.application.subfield)
    client.force_login(panel.chair.user)
    html = client.get(reverse("panels:dashboard")).content.decode()
    assert "Panels awaiting consensus" in html
    assert reverse("panels:consensus", args=[panel.application.pk]) in html
    assert reverse("panels:consensus", args=[in_review.application.pk]) not in html


def test_an_ordinary_expert_sees_no_consensus_section(client):
    make_panel(state=S.CONSENSUS)
    client.force_login(ExpertProfileFactory().user)
    html = client.get(reverse("panels:dashboard")).content.decode()
    assert "Panels awaiting consensus" not in html
    assert "You have no assigned applications." in html


def test_dashboard_refuses_a_non_expert(client):
    client.force_login(UserFactory())
    assert client.get(reverse("panels:dashboard")).status_code == 403


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("panels:dashboard")).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_query_count_is_flat(client):
    first = make_panel(state=S.CONSENSUS)
    me = first.assignments[0].expert
    chair = first.chair
    me_as_chair_user = chair.user
    one = _queries(client, me.user)
    one_chair = _queries(client, me_as_chair_user)
    for _ in range(6):
        p = make_panel(subfield=first.application.subfield, state=S.CONSENSUS)
        a = AssignmentFactory(application=p.application, expert=me)
        submitted_review(a, [50, 50, 50, 50])
    assert _queries(client, me.user) == one
    client.force_login(me.user)
    assert _rows(client.get(reverse("panels:dashboard")).content.decode()) == 7
    assert _queries(client, me_as_chair_user) == one_chair
