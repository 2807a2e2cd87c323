"""Organisations: create with a valid, unique business number; join by number; the first
member approves or refuses; only approved members see the organisation's data."""

import pytest
from django.urls import reverse

from accounts.enums import MembershipStatus, Role
from accounts.models import Membership, Organisation
from notifications.enums import Event
from notifications.models import Notification
from tests.factories import ApplicationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "accounts:organisation"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def org_data(**overrides):
    return {
        "create": "1",
        "name": "혁신센서 주식회사",
        "business_number": "124-81-00998",
        "is_sme": "on",
        "address": "세종특별자치시 갈매로 477",
        "contact_name": "김혁신",
        "contact_email": "kim@innovate.kr",
        "contact_phone": "044-000-0000",
        **overrides,
    }


def test_create_makes_the_first_member_the_approved_administrator(client):
    user = UserFactory(roles=[Role.APPLICANT])
    client.force_login(user)
    resp = client.post(reverse(URL), org_data())
    assert resp["Location"] == reverse("applications:list")
    org = Organisation.objects.get()
    assert (org.business_number, org.is_sme) == ("1248100998", True)
    m = Membership.objects.get()
    assert (m.user, m.is_admin, m.status) == (user, True, MembershipStatus.APPROVED)


def test_wrong_check_digit_is_refused_beside_the_field_and_entries_are_kept(client):
    client.force_login(UserFactory())
    resp = client.post(reverse(URL), org_data(business_number="124-81-00999"))
    form = resp.context["create_form"]
    assert form.errors["business_number"] == [
        "This business registration number is not valid: its check digit does not match."
    ]
    assert form["name"].value() == "혁신센서 주식회사"
    assert form["address"].value() == "세종특별자치시 갈매로 477"
    assert Organisation.objects.count() == 0


def test_wrong_length_is_refused(client):
    client.force_login(UserFactory())
    resp = client.post(reverse(URL), org_data(business_number="12345"))
    assert resp.context["create_form"].errors["business_number"] == [
        "A business registration number has 10 digits, written like 123-45-67890."
    ]


def test_duplicate_business_number_suggests_joining(client):
    MembershipFactory(organisation__business_number="1248100998")
    client.force_login(UserFactory())
    resp = client.post(reverse(URL), org_data())
    assert resp.context["create_form"].errors["business_number"] == [
        "An organisation with this business registration number is already registered. "
        "Ask to join it instead."
    ]


def test_join_request_is_pending_and_the_administrator_is_told(client):
    admin = MembershipFactory(organisation__business_number="1248100998")
    joiner = UserFactory(roles=[Role.APPLICANT])
    client.force_login(joiner)
    resp = client.post(reverse(URL), {"join": "1", "business_number": "124-81-00998"})
    assert resp.status_code == 302
    m = Membership.objects.get(user=joiner)
    assert (m.status, m.is_admin) == (MembershipStatus.PENDING, False)
    notice = Notification.objects.get(event=Event.MEMBERSHIP_REQUEST)
    assert notice.recipient == admin.user


def test_join_unknown_number_is_refused(client):
    client.force_login(UserFactory())
    resp = client.post(reverse(URL), {"join": "1", "business_number": "124-81-00998"})
    assert resp.context["join_form"].errors["business_number"] == [
        "No organisation with this business registration number is registered yet. "
        "You can register it instead."
    ]


def test_administrator_approves_and_the_member_then_sees_applications(client):
    app = ApplicationFactory()
    admin = app.created_by
    pending = MembershipFactory(
        organisation=app.organisation, status=MembershipStatus.PENDING, is_admin=False
    )
    client.force_login(pending.user)
    assert client.get(reverse("applications:detail", args=[app.pk])).status_code == 404
    client.force_login(admin)
    resp = client.post(
        reverse("accounts:membership_decide", args=[pending.pk]), {"decision": "approve"}
    )
    assert resp.status_code == 302
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.APPROVED
    client.force_login(pending.user)
    assert client.get(reverse("applications:detail", args=[app.pk])).status_code == 200


def test_administrator_refuses(client):
    admin = MembershipFactory()
    pending = MembershipFactory(
        organisation=admin.organisation, status=MembershipStatus.PENDING, is_admin=False
    )
    client.force_login(admin.user)
    client.post(reverse("accounts:membership_decide", args=[pending.pk]), {"decision": "refuse"})
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.REFUSED


def test_non_administrator_cannot_decide_and_gets_404(client):
    admin = MembershipFactory()
    member = MembershipFactory(organisation=admin.organisation, is_admin=False)
    pending = MembershipFactory(
        organisation=admin.organisation, status=MembershipStatus.PENDING, is_admin=False
    )
    client.force_login(member.user)
    resp = client.post(
        reverse("accounts:membership_decide", args=[pending.pk]), {"decision": "approve"}
    )
    assert resp.status_code == 404
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.PENDING


def test_other_organisations_administrator_gets_404(client):
    pending = MembershipFactory(status=MembershipStatus.PENDING, is_admin=False)
    client.force_login(MembershipFactory().user)
    resp = client.post(
        reverse("accounts:membership_decide", args=[pending.pk]), {"decision": "approve"}
    )
    assert resp.status_code == 404


def test_members_page_query_count_does_not_grow(client, django_assert_num_queries):
    admin = MembershipFactory()
    client.force_login(admin.user)
    MembershipFactory(organisation=admin.organisation, status=MembershipStatus.PENDING)
    url = reverse(URL)
    client.get(url)  # the first request of a session writes its activity stamp
    with django_assert_num_queries(MEMBERS_QUERIES):
        assert client.get(reverse(URL)).status_code == 200
    for _ in range(10):
        MembershipFactory(organisation=admin.organisation, status=MembershipStatus.PENDING)
    with django_assert_num_queries(MEMBERS_QUERIES):
        resp = client.get(reverse(URL))
    assert len(resp.context["members"][0][1]) == 12


MEMBERS_QUERIES = 6
