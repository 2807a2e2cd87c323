"""The officers' admin: changelist query count, transition buttons and their errors, bulk
actions, the rubric weights check and the work panel."""

import dataclasses
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from accounts.enums import Role
from applications import transitions
from applications.enums import ApplicationState as S
from applications.models import Application, ApplicationDocument, RubricCriterion
from audit.models import AuditEvent
from tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    RDProjectFactory,
    RoundFactory,
    SubFieldFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:applications_application_changelist")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def change_url(application) -> str:
    return reverse("admin:applications_application_change", args=[application.pk])


def transition_url(application, name: str) -> str:
    return reverse("admin:applications_application_transition", args=[application.pk, name])


def submitted(**kwargs) -> Application:
    n = Application.objects.count() + 1
    return ApplicationFactory(state=S.SUBMITTED, reference=f"PPIR-2026-{n:05d}", **kwargs)


def message_texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# Changelist


def test_changelist_lists_applications_with_status_badge(officer_client):
    application = submitted()

    response = officer_client.get(CHANGELIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert application.reference in html
    assert '<span class="ppir-badge ppir-badge--info">Submitted: eligibility screening</span>' in (
        html
    )


def test_changelist_query_count_does_not_grow_with_rows(officer_client):
    round_ = RoundFactory()
    subfield = SubFieldFactory()
    submitted(round=round_, subfield=subfield)
    officer_client.get(CHANGELIST)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as one:
        assert officer_client.get(CHANGELIST).status_code == 200

    for _ in range(29):
        submitted(round=round_, subfield=subfield)
    with CaptureQueriesContext(connection) as thirty:
        response = officer_client.get(CHANGELIST)

    assert response.content.decode().count('class="ppir-badge ') == 30
    assert len(thirty.captured_queries) == len(one.captured_queries)


def test_changelist_search_by_business_number_with_hyphens(officer_client):
    application = submitted()
    other = submitted()
    brn = application.organisation.business_number

    response = officer_client.get(CHANGELIST, {"q": f"{brn[:3]}-{brn[3:5]}-{brn[5:]}"})

    html = response.content.decode()
    assert application.reference in html
    assert other.reference not in html


def test_changelist_filters_by_state(officer_client):
    in_review = ApplicationFactory(state=S.IN_REVIEW, reference="PPIR-2026-00901")
    waiting = submitted()

    response = officer_client.get(CHANGELIST, {"state__exact": S.IN_REVIEW})

    html = response.content.decode()
    assert in_review.reference in html
    assert waiting.reference not in html


def test_changelist_refused_to_staff_without_a_programme_role(client):
    client.force_login(UserFactory(roles=[Role.EXPERT], is_staff=True))
    assert client.get(CHANGELIST).status_code == 403


# Change page: read-only and the transition buttons


def test_submitted_application_is_read_only(officer_client):
    application = submitted()

    response = officer_client.get(change_url(application))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="_save"' not in html
    assert 'name="product_name"' not in html
    assert application.product_name in html


def test_submitted_application_cannot_be_changed_by_posting_the_form(officer_client):
    application = submitted()

    response = officer_client.post(change_url(application), {"product_name": "바뀐 이름"})

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.product_name != "바뀐 이름"


def test_draft_state_is_never_a_form_field(client, application):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(change_url(application))
    html = response.content.decode()
    assert 'name="product_name"' in html
    assert 'name="state"' not in html


def test_officer_sees_only_the_transitions_officers_may_take(officer_client):
    application = submitted()

    response = officer_client.get(change_url(application))

    buttons = [b["name"] for b in response.context["transition_buttons"]]
    assert buttons == ["request_supplement", "mark_eligible", "mark_ineligible"]
    html = response.content.decode()
    assert transition_url(application, "mark_eligible") in html
    assert transition_url(application, "withdraw") not in html


def test_officer_sees_no_applicant_transitions_on_a_draft(officer_client, application):
    response = officer_client.get(change_url(application))

    assert response.context["transition_buttons"] == []
    assert "You have no action to take" in response.content.decode()


def test_officer_sees_the_decision_buttons_when_a_decision_is_due(officer_client):
    application = ApplicationFactory(state=S.AWAITING_DECISION, reference="PPIR-2026-00777")

    response = officer_client.get(change_url(application))

    assert [b["name"] for b in response.context["transition_buttons"]] == ["certify", "reject"]


def test_history_inline_shows_the_transitions(officer_client, officer):
    application = submitted()
    officer_client.post(
        transition_url(application, "mark_eligible"), {"expected_state": S.SUBMITTED}
    )

    response = officer_client.get(change_url(application))

    html = re.sub(r">\s+<", "><", response.content.decode())
    assert '<td class="field-action_label"><p>Mark eligible</p></td>' in html
    assert '<td class="field-role_label"><p>Programme officer</p></td>' in html
    assert '<span class="ppir-badge ppir-badge--primary">Expert review</span>' in html
    assert response.context["inline_admin_formsets"][1].formset.queryset.count() == 1


def test_document_inline_shows_the_file_name_without_a_download_view(officer_client, officer):
    application = submitted()
    ApplicationDocument.objects.create(
        application=application,
        kind="test_report",
        file="documents/2026/01/abc",
        original_name="시험성적서.pdf",
        content_type="application/pdf",
        size=1234,
        sha256="0" * 64,
        uploaded_by=application.created_by,
    )

    response = officer_client.get(change_url(application))

    assert "시험성적서.pdf" in response.content.decode()
    assert 'href="/nonexistent/' not in response.content.decode()


def test_officer_may_read_a_draft_but_not_change_it(officer_client, application):
    response = officer_client.get(change_url(application))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    response = officer_client.post(change_url(application), {"product_name": "고친 이름"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.product_name != "고친 이름"


def test_superuser_may_repair_a_draft_but_not_its_state(client, application):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(change_url(application))
    form = response.context["adminform"].form
    data = {
        **{k: v for k, v in form.initial.items() if v is not None and k != "rd_projects"},
        "product_name": "고친 이름",
        "state": S.CERTIFIED,
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "history-TOTAL_FORMS": "0",
        "history-INITIAL_FORMS": "0",
    }

    response = client.post(change_url(application), data)

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.product_name, application.state) == ("고친 이름", S.DRAFT)


def test_superuser_add_page_has_no_state_or_author_field(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:applications_application_add"))

    assert response.status_code == 200
    fields = set(response.context["adminform"].form.fields)
    assert {"state", "created_by", "reference"} & fields == set()
    assert {"product_name", "organisation", "round"} <= fields


def test_get_on_a_button_url_never_acts(officer_client):
    application = submitted()

    response = officer_client.get(transition_url(application, "mark_eligible"))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert AuditEvent.objects.count() == 0


def test_get_on_a_reason_button_url_shows_the_form(officer_client):
    application = submitted()

    response = officer_client.get(transition_url(application, "request_supplement"))

    assert response.status_code == 200
    assert response.context["form"]["expected_state"].value() == S.SUBMITTED
    assert str(response.context["form"].fields["text"].label) == (
        "What the applicant must supplement"
    )
    assert AuditEvent.objects.count() == 0


def test_button_url_of_another_staff_user_without_access_changes_nothing(client):
    client.force_login(UserFactory(roles=[Role.EXPERT], is_staff=True))
    application = submitted()

    response = client.post(transition_url(application, "mark_eligible"))

    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert AuditEvent.objects.count() == 0


# Change page: POSTing a button


def test_post_button_calls_the_service_and_writes_history(officer_client, officer):
    application = submitted()

    response = officer_client.post(
        transition_url(application, "mark_eligible"), {"expected_state": S.SUBMITTED}
    )

    assert response.status_code == 302
    assert response["Location"] == change_url(application)
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW
    event = AuditEvent.objects.get(application=application)
    assert (event.action, event.actor, event.from_state, event.to_state) == (
        "transition:mark_eligible",
        officer,
        S.SUBMITTED,
        S.IN_REVIEW,
    )
    assert message_texts(response) == [
        "Done: Mark eligible. The application is now “Expert review”."
    ]


def test_reason_transition_shows_a_form_first_and_changes_nothing(officer_client):
    application = submitted()

    response = officer_client.post(
        transition_url(application, "mark_ineligible"), {"expected_state": S.SUBMITTED}
    )

    assert response.status_code == 200
    assert 'name="text"' in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert AuditEvent.objects.count() == 0


def test_reason_transition_with_blank_reason_keeps_the_form_with_an_error(officer_client):
    application = submitted()

    response = officer_client.post(
        transition_url(application, "mark_ineligible"),
        {"confirmed": "1", "text": "  ", "expected_state": S.SUBMITTED},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "text": ["Write the reason: the applicant will read it."]
    }
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert AuditEvent.objects.count() == 0


def test_reason_transition_with_reason_is_done(officer_client, officer):
    application = submitted()

    response = officer_client.post(
        transition_url(application, "mark_ineligible"),
        {"confirmed": "1", "text": "과제 종료 후 5년 경과", "expected_state": S.SUBMITTED},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.INELIGIBLE
    assert application.decision_reason == "과제 종료 후 5년 경과"
    event = AuditEvent.objects.get(application=application)
    assert (event.comment, event.actor) == ("과제 종료 후 5년 경과", officer)


def test_button_from_a_wrong_state_shows_an_error_and_changes_nothing(officer_client):
    application = ApplicationFactory(state=S.IN_REVIEW, reference="PPIR-2026-00500")

    response = officer_client.post(transition_url(application, "mark_eligible"))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW
    assert AuditEvent.objects.count() == 0
    assert message_texts(response) == [
        "“Mark eligible” was not done: This action is not possible while the application "
        "is “Expert review”."
    ]


def test_button_for_an_applicant_transition_is_denied_with_a_message(officer_client, application):
    response = officer_client.post(transition_url(application, "submit"))

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.state, application.reference) == (S.DRAFT, None)
    assert AuditEvent.objects.count() == 0
    assert message_texts(response) == [
        "“Submit” was not done: You may not do this for this application."
    ]


def test_button_on_a_page_that_is_out_of_date_changes_nothing(officer_client):
    application = ApplicationFactory(state=S.IN_REVIEW, reference="PPIR-2026-00501")

    response = officer_client.post(
        transition_url(application, "mark_ineligible"),
        {"confirmed": "1", "text": "사유", "expected_state": S.SUBMITTED},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW
    assert AuditEvent.objects.count() == 0
    assert message_texts(response) == [
        "The application changed to “Expert review” since you opened it. "
        "Nothing was done; check its history and try again."
    ]


def test_unknown_transition_shows_an_error(officer_client):
    application = submitted()
    response = officer_client.post(transition_url(application, "approve_everything"))
    assert message_texts(response) == ["There is no such action."]
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


def raise_concurrent(*, application, by):
    raise ConcurrentTransition("state changed")


def raise_not_allowed(*, application, by):
    raise TransitionNotAllowed("Not from here.")


def raise_denied(*, application, by):
    raise PermissionDenied


def raise_value_error(*, application, by):
    raise ValueError("The call has closed.")


def raise_validation_error(*, application, by):
    raise ValidationError(["First problem.", "Second problem."])


@pytest.mark.parametrize(
    ("service", "reason"),
    [
        (
            "raise_concurrent",
            "Someone else changed this application at the same moment. "
            "Reload the page to see its current status.",
        ),
        ("raise_not_allowed", "Not from here."),
        ("raise_denied", "You may not do this for this application."),
        ("raise_value_error", "The call has closed."),
        ("raise_validation_error", "First problem. Second problem."),
    ],
)
def test_every_service_refusal_becomes_a_message(officer_client, monkeypatch, service, reason):
    application = submitted()
    action = dataclasses.replace(
        transitions.TRANSITIONS["mark_eligible"], service=f"{__name__}.{service}"
    )
    monkeypatch.setitem(transitions.TRANSITIONS, "mark_eligible", action)

    response = officer_client.post(transition_url(application, "mark_eligible"))

    assert response.status_code == 302
    assert message_texts(response) == [f"“Mark eligible” was not done: {reason}"]
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


def mark_eligible_after_another_officer(*, application, by):
    """Another officer's change lands between this request reading the application and
    saving it."""
    from applications.services import application_mark_eligible

    other = UserFactory(roles=[Role.OFFICER], is_staff=True)
    application_mark_eligible(application=Application.objects.get(pk=application.pk), by=other)
    return application_mark_eligible(application=application, by=by)


def test_concurrent_transition_through_admin_writes_one_row(officer_client, monkeypatch):
    application = submitted()
    action = dataclasses.replace(
        transitions.TRANSITIONS["mark_eligible"],
        service=f"{__name__}.mark_eligible_after_another_officer",
    )
    monkeypatch.setitem(transitions.TRANSITIONS, "mark_eligible", action)

    response = officer_client.post(transition_url(application, "mark_eligible"))

    assert message_texts(response) == [
        "“Mark eligible” was not done: Someone else changed this application at the same "
        "moment. Reload the page to see its current status."
    ]
    application.refresh_from_db()
    assert application.state == S.IN_REVIEW
    assert AuditEvent.objects.filter(application=application).count() == 1


def test_certify_asks_for_the_password_again(officer_client):
    application = ApplicationFactory(state=S.AWAITING_DECISION, reference="PPIR-2026-00600")

    response = officer_client.post(
        transition_url(application, "certify"),
        {"confirmed": "1", "text": "", "expected_state": S.AWAITING_DECISION},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    application.refresh_from_db()
    assert application.state == S.AWAITING_DECISION
    assert AuditEvent.objects.count() == 0


def test_certify_is_done_once_the_password_is_confirmed(officer_client, officer):
    application = ApplicationFactory(state=S.AWAITING_DECISION, reference="PPIR-2026-00601")
    asked = officer_client.post(
        transition_url(application, "certify"),
        {"confirmed": "1", "text": "혁신성 우수", "expected_state": S.AWAITING_DECISION},
    )

    response = officer_client.post(
        asked["Location"], {"password": "correct-horse-battery"}, follow=True
    )

    assert response.redirect_chain[-1][0] == change_url(application)
    application.refresh_from_db()
    assert application.state == S.CERTIFIED
    event = AuditEvent.objects.get(application=application)
    assert (event.action, event.actor, event.comment) == (
        "transition:certify",
        officer,
        "혁신성 우수",
    )


# Bulk actions


def test_bulk_mark_eligible_reports_done_and_failed(officer_client):
    ready = [submitted(), submitted()]
    not_ready = ApplicationFactory(state=S.IN_REVIEW, reference="PPIR-2026-00700")

    response = officer_client.post(
        CHANGELIST,
        {
            "action": "transition_mark_eligible",
            "_selected_action": [a.pk for a in [*ready, not_ready]],
        },
    )

    assert response.status_code == 302
    assert sorted(Application.objects.values_list("state", flat=True)) == [S.IN_REVIEW] * 3
    assert AuditEvent.objects.filter(action="transition:mark_eligible").count() == 2
    assert message_texts(response) == [
        "Mark eligible: done for 2 application(s).",
        "Mark eligible: not done for 1 application(s) (PPIR-2026-00700). This action is not "
        "possible while the application is “Expert review”.",
    ]


def test_bulk_actions_offered_are_the_registry_bulk_entries(officer_client):
    response = officer_client.get(CHANGELIST)
    choices = [value for value, _label in response.context["action_form"].fields["action"].choices]
    assert choices == [
        "",
        "transition_mark_eligible",
        "transition_open_consensus",
    ]


# Rounds and the rubric


def round_post_data(weights: list[str]) -> dict:
    now = timezone.localtime()
    data = {
        "code": "2026-R9",
        "title": "2026년 제9차",
        "title_en": "",
        "description": "",
        "opens_at_0": (now - dt.timedelta(days=1)).strftime("%Y-%m-%d"),
        "opens_at_1": "09:00:00",
        "closes_at_0": (now + dt.timedelta(days=30)).strftime("%Y-%m-%d"),
        "closes_at_1": "18:00:00",
        "subfields": [SubFieldFactory().pk],
        "reviewers_per_application": "3",
        "threshold": "70",
        "trim_min_scores": "5",
        "conflict_scope": "department",
        "load_balance_cost": "0",
        "supplement_days": "10",
        "objection_days": "14",
        "gates-TOTAL_FORMS": "0",
        "gates-INITIAL_FORMS": "0",
        "criteria-TOTAL_FORMS": str(len(weights)),
        "criteria-INITIAL_FORMS": "0",
    }
    for i, weight in enumerate(weights):
        data.update(
            {
                f"criteria-{i}-order": str(i),
                f"criteria-{i}-code": f"c{i}",
                f"criteria-{i}-label": f"기준 {i}",
                f"criteria-{i}-weight": weight,
                f"criteria-{i}-max_score": "100",
            }
        )
    return data


def test_round_with_weights_not_adding_to_100_is_refused(officer_client):
    response = officer_client.post(
        reverse("admin:applications_round_add"), round_post_data(["30", "25", "40"])
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "The weights of the criteria add up to 95. Change them so that they add up to 100." in (
        html
    )
    assert RubricCriterion.objects.count() == 0


def test_round_with_weights_adding_to_100_is_saved(officer_client):
    response = officer_client.post(
        reverse("admin:applications_round_add"), round_post_data(["30", "25", "25", "20"])
    )

    assert response.status_code == 302
    assert sorted(RubricCriterion.objects.values_list("weight", flat=True)) == [
        Decimal("20"),
        Decimal("25"),
        Decimal("25"),
        Decimal("30"),
    ]


# R&D projects


def test_rd_project_changelist_filters_by_end_year_and_searches(officer_client):
    old = RDProjectFactory(end_date=dt.date(2021, 6, 30), start_date=dt.date(2019, 1, 1))
    new = RDProjectFactory(end_date=dt.date(2024, 12, 31))
    url = reverse("admin:applications_rdproject_changelist")

    by_year = officer_client.get(url, {"end_year": "2021"}).content.decode()
    by_number = officer_client.get(url, {"q": new.ntis_number}).content.decode()

    assert old.ntis_number in by_year
    assert new.ntis_number not in by_year
    assert new.ntis_number in by_number
    assert old.ntis_number not in by_number


# Admin index


def test_admin_index_shows_the_work_panel(officer_client):
    round_ = RoundFactory(code="2026-R1")
    submitted(round=round_)
    submitted(round=round_)
    ApplicationFactory(round=round_, state=S.IN_REVIEW, reference="PPIR-2026-00800")

    response = officer_client.get(reverse("admin:index"))

    html = response.content.decode()
    assert "Applications by round and status" in html
    assert f'href="{CHANGELIST}?round__id__exact={round_.pk}&amp;state__exact=submitted">2</a>' in (
        html
    )
    assert f'href="{CHANGELIST}?round__id__exact={round_.pk}&amp;state__exact=in_review">1</a>' in (
        html
    )
    assert f'href="{CHANGELIST}?round__id__exact={round_.pk}">3</a>' in html


def test_admin_index_leaves_planned_rounds_out_of_the_panel(officer_client):
    RoundFactory(
        code="2027-R1",
        opens_at=timezone.now() + dt.timedelta(days=30),
        closes_at=timezone.now() + dt.timedelta(days=60),
    )
    response = officer_client.get(reverse("admin:index"))
    assert "2027-R1" not in response.content.decode()


def test_admin_header_is_the_programme_name(officer_client):
    response = officer_client.get(reverse("admin:index"))
    assert "PPIR Workbench administration" in response.content.decode()


# Organisations and people (accounts/admin.py)


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("admin:accounts_organisation_changelist", lambda: MembershipFactory().organisation),
        ("admin:accounts_membership_changelist", MembershipFactory),
        ("admin:accounts_user_changelist", lambda: UserFactory(roles=[Role.EXPERT])),
        ("admin:applications_round_changelist", RoundFactory),
        ("admin:applications_rdproject_changelist", RDProjectFactory),
    ],
)
def test_other_changelists_query_count_does_not_grow_with_rows(officer_client, url_name, make):
    url = reverse(url_name)
    make()
    officer_client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert officer_client.get(url).status_code == 200
    for _ in range(29):
        make()
    with CaptureQueriesContext(connection) as thirty:
        assert officer_client.get(url).status_code == 200
    assert len(thirty.captured_queries) == len(one.captured_queries)


def test_organisation_search_by_business_number_with_hyphens(officer_client):
    organisation = MembershipFactory().organisation
    other = MembershipFactory().organisation
    brn = organisation.business_number

    response = officer_client.get(
        reverse("admin:accounts_organisation_changelist"),
        {"q": f"{brn[:3]}-{brn[3:5]}-{brn[5:]}"},
    )

    html = response.content.decode()
    assert organisation.name in html
    assert other.name not in html


def test_user_changelist_shows_roles(officer_client):
    UserFactory(email="chair@example.kr", roles=[Role.EXPERT])

    response = officer_client.get(reverse("admin:accounts_user_changelist"), {"q": "chair@"})

    assert '<td class="field-role_list">Expert</td>' in response.content.decode()


def test_officer_may_view_but_not_change_users(officer_client):
    person = UserFactory()
    url = reverse("admin:accounts_user_change", args=[person.pk])

    assert officer_client.get(url).status_code == 200
    response = officer_client.post(url, {"email": person.email, "is_superuser": "on"})

    assert response.status_code == 403
    person.refresh_from_db()
    assert person.is_superuser is False


def test_admin_index_query_count_does_not_grow_with_rounds_or_applications(officer_client):
    submitted(round=RoundFactory())
    officer_client.get(reverse("admin:index"))
    with CaptureQueriesContext(connection) as one:
        officer_client.get(reverse("admin:index"))

    for _ in range(8):
        round_ = RoundFactory()
        for _ in range(4):
            submitted(round=round_)
    with CaptureQueriesContext(connection) as many:
        response = officer_client.get(reverse("admin:index"))

    assert len(response.context["rounds"]) == 6
    assert len(many.captured_queries) == len(one.captured_queries)


def test_application_change_page_query_count_does_not_grow(officer_client, officer):
    """The officer's screening page in admin (documents, projects and history inlines,
    transition buttons) reads as many queries with many rows as with one."""
    from applications import services
    from tests.factories.applicant import (
        DocumentFactory,
        eligible_application,
        supplement_round_trips,
    )

    app = eligible_application()
    services.application_submit(application=app, by=app.created_by)
    url = reverse("admin:applications_application_change", args=[app.pk])
    officer_client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert officer_client.get(url).status_code == 200
    DocumentFactory.create_batch(10, application=app)
    app.rd_projects.add(*RDProjectFactory.create_batch(10))
    supplement_round_trips(app, officer, times=4)
    with CaptureQueriesContext(connection) as many:
        assert officer_client.get(url).status_code == 200
    assert len(many.captured_queries) == len(one.captured_queries)
