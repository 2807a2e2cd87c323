"""Wizard pages: each bad input keeps what was entered and says what is wrong beside the
field; other organisations' drafts answer 404; list and detail query counts stay flat."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState, DocumentKind
from tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    RDProjectFactory,
    RoundFactory,
    SubFieldFactory,
)
from tests.factories.applicant import (
    EXE_BYTES,
    DocumentFactory,
    eligible_application,
    pdf_upload,
    supplement_round_trips,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def draft(client):
    app = ApplicationFactory()
    client.force_login(app.created_by)
    return app


def step_url(app, step):
    return reverse("applications:step", args=[app.pk, step])


def doc_post(client, app, **overrides):
    today = timezone.localdate()
    data = {
        "kind": DocumentKind.TEST_REPORT,
        "title": "성능시험 성적서",
        "file": pdf_upload("report.pdf"),
        "issue_date": (today - dt.timedelta(days=3)).isoformat(),
        "expiry_date": "",
        **overrides,
    }
    return client.post(step_url(app, "documents"), data)


def test_unknown_ntis_number_says_so_and_keeps_the_input(client, draft):
    resp = client.post(step_url(draft, "projects"), {"ntis_number": "RS-2024-99999999"})
    form = resp.context["form"]
    assert form.errors["ntis_number"] == [
        "No R&D project with the number RS-2024-99999999 was found in the NTIS records."
    ]
    assert 'value="RS-2024-99999999"' in resp.content.decode()
    assert draft.rd_projects.count() == 0


def test_malformed_ntis_number_gets_the_format_message(client, draft):
    resp = client.post(step_url(draft, "projects"), {"ntis_number": "12345"})
    assert resp.context["form"].errors["ntis_number"] == [
        "An NTIS project number has 10 digits (e.g. 1711123456) or the form RS-2024-12345678."
    ]


def test_linking_by_number_adds_the_project(client, draft):
    project = RDProjectFactory(ntis_number="1711123456")
    resp = client.post(step_url(draft, "projects"), {"ntis_number": "1711123456"})
    assert resp.status_code == 302
    assert list(draft.rd_projects.all()) == [project]


def test_live_search_marks_participation(client, draft):
    RDProjectFactory(
        ntis_number="RS-2023-00000777",
        title="재난 감지 실증",
        lead_business_number=draft.organisation.business_number,
    )
    RDProjectFactory(ntis_number="RS-2023-00000778", title="재난 예측 모델")
    resp = client.get(reverse("applications:project_search", args=[draft.pk]), {"q": "재난"})
    rows = {p.ntis_number: p.took_part for p in resp.context["results"]}
    assert rows == {"RS-2023-00000777": True, "RS-2023-00000778": False}


def test_empty_file_is_refused_beside_the_field(client, draft):
    resp = doc_post(client, draft, file=pdf_upload("empty.pdf", b""))
    assert resp.context["form"].errors["file"] == ["The file is empty."]
    assert resp.context["form"]["title"].value() == "성능시험 성적서"
    assert draft.documents.count() == 0


def test_renamed_executable_is_refused(client, draft):
    resp = doc_post(client, draft, file=pdf_upload("invoice.pdf", EXE_BYTES))
    assert resp.context["form"].errors["file"] == [
        "The file's content is not a PDF file, whatever its name says."
    ]
    assert draft.documents.count() == 0


def test_oversize_file_is_refused(client, draft, settings):
    settings.PPIR_MAX_UPLOAD_BYTES = 1024 * 1024
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024)
    resp = doc_post(client, draft, file=pdf_upload("big.pdf", big))
    assert resp.context["form"].errors["file"] == ["The file is larger than 1 MB."]


def test_expiry_before_issue_is_refused_and_dates_are_kept(client, draft):
    resp = doc_post(client, draft, issue_date="2026-03-10", expiry_date="2026-03-01")
    form = resp.context["form"]
    assert form.errors["expiry_date"] == ["The expiry date cannot be before the issue date."]
    html = resp.content.decode()
    assert 'value="2026-03-10"' in html and 'value="2026-03-01"' in html
    assert draft.documents.count() == 0


def test_future_issue_date_is_refused(client, draft):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    resp = doc_post(client, draft, issue_date=tomorrow)
    assert resp.context["form"].errors["issue_date"] == ["The issue date cannot be in the future."]


def test_uploaded_document_gets_a_server_generated_name(client, draft):
    resp = doc_post(client, draft, file=pdf_upload("../../etc/성적서.pdf"))
    assert resp.status_code == 302
    doc = draft.documents.get()
    assert doc.original_name == "성적서.pdf"
    assert doc.file.name.startswith("documents/") and "성적서" not in doc.file.name
    assert (doc.content_type, doc.size) == ("application/pdf", len(pdf_upload().read()))


def test_closed_round_is_refused_and_the_choice_is_kept(client, draft):
    closed = RoundFactory(
        opens_at=timezone.make_aware(dt.datetime(2025, 12, 1, 9, 0)),
        closes_at=timezone.make_aware(dt.datetime(2026, 1, 5, 18, 0)),
    )
    subfield = SubFieldFactory()
    resp = client.post(step_url(draft, "round"), {"round": closed.pk, "subfield": subfield.pk})
    form = resp.context["form"]
    assert form.errors["round"] == [
        "This round is not open for applications (deadline 2026-01-05 18:00 Korea time)."
    ]
    assert form["subfield"].value() == str(subfield.pk)
    draft.refresh_from_db()
    assert draft.round_id != closed.pk


def test_product_step_keeps_entries_when_trl_is_missing(client, draft):
    resp = client.post(
        step_url(draft, "product"),
        {"product_name": "새 이름", "product_description": "설명", "trl": ""},
    )
    form = resp.context["form"]
    assert form.errors["trl"] == ["This field is required."]
    assert form["product_name"].value() == "새 이름"
    draft.refresh_from_db()
    assert draft.product_name != "새 이름"


def test_submit_blocked_by_a_hard_rule_says_why(client, draft):
    resp = client.post(reverse("applications:submit", args=[draft.pk]), follow=True)
    text = [str(m) for m in resp.context["messages"]]
    assert text[0].startswith("The application was not submitted.")
    assert "No R&D project is linked yet." in text[0]
    draft.refresh_from_db()
    assert draft.state == ApplicationState.DRAFT


def test_submit_after_the_deadline_is_refused(client):
    app = eligible_application()
    app.round.closes_at = timezone.now() - dt.timedelta(minutes=1)
    app.round.save()
    client.force_login(app.created_by)
    resp = client.post(reverse("applications:submit", args=[app.pk]), follow=True)
    deadline = timezone.localtime(app.round.closes_at).strftime("%Y-%m-%d %H:%M")
    assert [str(m) for m in resp.context["messages"]] == [
        "The application was not submitted. Submissions for this round closed at "
        f"{deadline} (Korea time)."
    ]
    app.refresh_from_db()
    assert app.state == ApplicationState.DRAFT


def test_submitted_application_is_frozen(client):
    app = eligible_application()
    from applications import services

    services.application_submit(application=app, by=app.created_by)
    client.force_login(app.created_by)
    resp = client.post(step_url(app, "product"), {"product_name": "바꾼 이름", "trl": "9"})
    assert resp["Location"] == reverse("applications:detail", args=[app.pk])
    app.refresh_from_db()
    assert app.product_name != "바꾼 이름"


@pytest.mark.parametrize(
    "name,args",
    [
        ("applications:detail", lambda a, d: [a.pk]),
        ("applications:review", lambda a, d: [a.pk]),
        ("applications:receipt", lambda a, d: [a.pk]),
        ("applications:withdraw", lambda a, d: [a.pk]),
        ("applications:version_diff", lambda a, d: [a.pk]),
        ("applications:project_search", lambda a, d: [a.pk]),
        ("applications:document_download", lambda a, d: [d.pk]),
    ],
)
def test_another_organisations_pages_answer_404(client, name, args):
    app = ApplicationFactory()
    doc = DocumentFactory(application=app)
    client.force_login(MembershipFactory().user)
    assert client.get(reverse(name, args=args(app, doc))).status_code == 404


def test_another_organisations_draft_steps_answer_404(client):
    app = ApplicationFactory()
    client.force_login(MembershipFactory().user)
    for step in ("product", "round", "projects", "documents", "declarations"):
        assert client.get(step_url(app, step)).status_code == 404
    assert client.post(reverse("applications:submit", args=[app.pk])).status_code == 404


def test_pending_member_does_not_see_the_organisations_applications(client):
    from accounts.enums import MembershipStatus

    app = ApplicationFactory()
    pending = MembershipFactory(organisation=app.organisation, status=MembershipStatus.PENDING)
    client.force_login(pending.user)
    assert client.get(reverse("applications:detail", args=[app.pk])).status_code == 404


def test_staff_do_not_see_drafts(client, officer):
    app = ApplicationFactory()
    client.force_login(officer)
    assert client.get(reverse("applications:detail", args=[app.pk])).status_code == 404


def test_withdraw_needs_confirmation(client, draft):
    resp = client.post(reverse("applications:withdraw", args=[draft.pk]), {"reason": ""})
    assert resp.context["form"].errors["confirm"] == ["Tick the box to confirm the withdrawal."]
    resp = client.post(reverse("applications:withdraw", args=[draft.pk]), {"confirm": "on"})
    draft.refresh_from_db()
    assert draft.state == ApplicationState.WITHDRAWN


def test_list_query_count_does_not_grow(client, django_assert_num_queries):
    member = MembershipFactory()
    client.force_login(member.user)
    ApplicationFactory(organisation=member.organisation, created_by=member.user)
    url = reverse("applications:list")
    client.get(url)  # the first request of a session writes its activity stamp
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(reverse("applications:list")).status_code == 200
    for _ in range(15):
        ApplicationFactory(organisation=member.organisation, created_by=member.user)
    with django_assert_num_queries(LIST_QUERIES):
        resp = client.get(reverse("applications:list"))
    assert len(resp.context["applications"]) == 16


def test_detail_query_count_does_not_grow(client, officer, django_assert_num_queries):
    app = eligible_application()
    from applications import services

    services.application_submit(application=app, by=app.created_by)
    client.force_login(app.created_by)
    url = reverse("applications:detail", args=[app.pk])
    client.get(url)  # the first request of a session writes its activity stamp
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(url).status_code == 200
    for _ in range(10):
        DocumentFactory(application=app)
        app.rd_projects.add(RDProjectFactory())
    supplement_round_trips(app, officer, 4)
    with django_assert_num_queries(DETAIL_QUERIES):
        resp = client.get(url)
    assert len(resp.context["application"].documents.all()) == 12
    assert app.versions.count() == 5


def test_wizard_page_query_count_does_not_grow(client, django_assert_num_queries):
    app = eligible_application()
    client.force_login(app.created_by)
    url = reverse("applications:review", args=[app.pk])
    client.get(url)  # the first request of a session writes its activity stamp
    with django_assert_num_queries(REVIEW_QUERIES):
        assert client.get(url).status_code == 200
    for _ in range(10):
        DocumentFactory(application=app)
        app.rd_projects.add(RDProjectFactory())
    with django_assert_num_queries(REVIEW_QUERIES):
        assert client.get(url).status_code == 200


# Measured once; each page's count is the same at 1 and at many rows.
LIST_QUERIES = 6
DETAIL_QUERIES = 13
REVIEW_QUERIES = 10


def test_resume_goes_to_the_first_unfinished_step(client, draft):
    resp = client.get(reverse("applications:resume", args=[draft.pk]))
    assert resp["Location"] == step_url(draft, "projects")


def test_resume_of_a_complete_draft_goes_to_review(client):
    app = eligible_application()
    client.force_login(app.created_by)
    resp = client.get(reverse("applications:resume", args=[app.pk]))
    assert resp["Location"] == reverse("applications:review", args=[app.pk])


def test_supplement_answer_with_an_empty_file_keeps_the_message(client, officer):

    from applications import services

    app = eligible_application()
    services.application_submit(application=app, by=app.created_by)
    services.application_request_supplement(application=app, by=officer, reason="x")
    client.force_login(app.created_by)
    resp = client.post(
        reverse("applications:detail", args=[app.pk]),
        {
            "message": "첨부합니다",
            "doc-TOTAL_FORMS": "1",
            "doc-INITIAL_FORMS": "0",
            "doc-MIN_NUM_FORMS": "0",
            "doc-MAX_NUM_FORMS": "5",
            "doc-0-kind": DocumentKind.TEST_REPORT,
            "doc-0-file": pdf_upload("empty.pdf", b""),
            "doc-0-issue_date": timezone.localdate().isoformat(),
        },
    )
    assert resp.status_code == 200
    assert resp.context["doc_formset"].forms[0].errors["file"] == ["The file is empty."]
    assert resp.context["answer_form"]["message"].value() == "첨부합니다"
    app.refresh_from_db()
    assert app.state == ApplicationState.SUPPLEMENT_REQUESTED


CONCURRENT = (
    "Someone else changed this application at the same moment. "
    "Reload the page to see its current status."
)


def _concurrently(monkeypatch, name):
    from django_fsm import ConcurrentTransition

    from applications import services

    def someone_else_acted(**kwargs):
        raise ConcurrentTransition("Cannot save object! The state has been changed")

    monkeypatch.setattr(services, name, someone_else_acted)


def test_supplement_answer_meeting_a_concurrent_change_says_so(client, officer, monkeypatch):
    """The officer closes the application while the applicant answers: a sentence, no 500."""

    from applications import services

    app = eligible_application()
    services.application_submit(application=app, by=app.created_by)
    services.application_request_supplement(application=app, by=officer, reason="x")
    _concurrently(monkeypatch, "application_answer_supplement")
    client.force_login(app.created_by)
    resp = client.post(
        reverse("applications:detail", args=[app.pk]),
        {"message": "첨부합니다", "doc-TOTAL_FORMS": "0", "doc-INITIAL_FORMS": "0"},
    )
    assert resp.status_code == 200
    assert [str(m) for m in resp.context["messages"]] == [CONCURRENT]
    assert resp.context["answer_form"]["message"].value() == "첨부합니다"


def test_withdraw_meeting_a_concurrent_change_says_so(client, draft, monkeypatch):
    _concurrently(monkeypatch, "application_withdraw")
    resp = client.post(
        reverse("applications:withdraw", args=[draft.pk]),
        {"reason": "사업 중단", "confirm": "on"},
        follow=True,
    )
    assert [str(m) for m in resp.context["messages"]] == [CONCURRENT]


def test_a_refused_draft_save_reads_as_a_sentence(client, draft, monkeypatch):
    from django.core.exceptions import ValidationError

    from applications import services

    def refuse(**kwargs):
        raise ValidationError("This draft can no longer be changed.")

    monkeypatch.setattr(services, "application_update_draft", refuse)
    resp = client.post(
        step_url(draft, "product"),
        {
            "product_name": "새 이름",
            "product_description": "설명",
            "trl": "7",
            "intended_buyers": "지방자치단체",
            "intended_use": "시설물 감시",
            "indicative_price": "1000000",
        },
        follow=True,
    )
    assert [str(m) for m in resp.context["messages"]] == ["This draft can no longer be changed."]
