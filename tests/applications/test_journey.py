"""The whole applicant journey at view level: sign-up → verify → organisation → draft →
each wizard step → submit → supplement → answer → eligible."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.enums import MembershipStatus, Role
from accounts.models import Membership, Organisation, User
from applications.enums import ApplicationState as S
from applications.enums import DocumentKind
from applications.models import Application, ApplicationVersion, EligibilityFlag
from notifications.enums import Event
from notifications.models import Notification
from tests.factories import (
    ProjectParticipantFactory,
    RDProjectFactory,
    RoundFactory,
    SubFieldFactory,
    UserFactory,
)
from tests.factories.applicant import pdf_upload

pytestmark = pytest.mark.django_db(transaction=False)

BRN = "124-81-00998"


def test_applicant_journey_from_signup_to_eligible(client, django_capture_on_commit_callbacks):
    subfield = SubFieldFactory(number=24, name_en="Smart cities")
    rnd = RoundFactory(subfields=[subfield])
    project = RDProjectFactory(
        ntis_number="RS-2023-00012345",
        title="스마트시티 재난감지 실증",
        end_date=timezone.localdate() - dt.timedelta(days=400),
    )
    ProjectParticipantFactory(project=project, business_number="1248100998")
    officer = UserFactory(roles=[Role.OFFICER], is_staff=True)

    # Sign up: the confirmation e-mail goes out; the person is an applicant.
    resp = client.post(
        reverse("account_signup"),
        {
            "name": "김혁신",
            "email": "kim@innovate.kr",
            "password1": "long-enough-pass-123",
            "password2": "long-enough-pass-123",
        },
    )
    assert resp.status_code == 302
    user = User.objects.get(email="kim@innovate.kr")
    assert user.name == "김혁신"
    assert user.roles == [Role.APPLICANT]
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/confirm-email/[\w:.-]+/)", mail.outbox[0].body)[
        1
    ]

    # Verify: confirming logs the person in and sends them on.
    resp = client.post(link)
    assert resp.status_code == 302
    resp = client.get(reverse("applications:list"))
    assert resp.status_code == 302 and resp["Location"] == reverse("accounts:organisation")

    # Create the organisation.
    resp = client.post(
        reverse("accounts:organisation"),
        {
            "create": "1",
            "name": "혁신센서 주식회사",
            "business_number": BRN,
            "is_sme": "on",
            "address": "세종특별자치시 갈매로 477",
            "contact_name": "김혁신",
            "contact_email": "kim@innovate.kr",
            "contact_phone": "044-000-0000",
        },
    )
    assert resp.status_code == 302
    org = Organisation.objects.get(business_number="1248100998")
    membership = Membership.objects.get(user=user, organisation=org)
    assert (membership.is_admin, membership.status) == (True, MembershipStatus.APPROVED)

    # Step 1: product (creates the draft).
    resp = client.post(
        reverse("applications:new"),
        {
            "product_name": "스마트 재난감지 센서",
            "product_description": "공공시설 재난 조기감지",
            "trl": "8",
            "intended_buyers": "지방자치단체",
            "intended_use": "시설물 안전 감시",
            "indicative_price": "12000000",
        },
    )
    app = Application.objects.get(organisation=org)
    assert resp["Location"] == reverse("applications:step", args=[app.pk, "round"])
    assert (app.state, app.round, app.trl) == (S.DRAFT, rnd, 8)

    # Step 2: sub-field and round.
    resp = client.post(
        reverse("applications:step", args=[app.pk, "round"]),
        {"round": rnd.pk, "subfield": subfield.pk},
    )
    assert resp["Location"] == reverse("applications:step", args=[app.pk, "projects"])

    # Step 3: live search, then link.
    resp = client.get(reverse("applications:project_search", args=[app.pk]), {"q": "RS-2023-0001"})
    assert "RS-2023-00012345" in resp.content.decode()
    client.post(reverse("applications:project_link", args=[app.pk, project.pk]))
    assert list(app.rd_projects.values_list("ntis_number", flat=True)) == ["RS-2023-00012345"]

    # Step 4: documents.
    today = timezone.localdate()
    for kind, name, expiry in [
        (DocumentKind.SPECIFICATION, "사양서.pdf", ""),
        (DocumentKind.CERTIFICATION, "KC.pdf", (today + dt.timedelta(days=300)).isoformat()),
    ]:
        resp = client.post(
            reverse("applications:step", args=[app.pk, "documents"]),
            {
                "kind": kind,
                "file": pdf_upload(name),
                "issue_date": (today - dt.timedelta(days=10)).isoformat(),
                "expiry_date": expiry,
            },
        )
        assert resp.status_code == 302
    assert sorted(app.documents.values_list("original_name", flat=True)) == ["KC.pdf", "사양서.pdf"]

    # Step 5: declarations.
    resp = client.post(
        reverse("applications:step", args=[app.pk, "declarations"]),
        {"save_declarations": "1", "declared_not_designated": "on", "declared_truthful": "on"},
    )
    assert resp["Location"] == reverse("applications:review", args=[app.pk])

    # Review shows the deadline and no blocking rule; submit.
    resp = client.get(reverse("applications:review", args=[app.pk]))
    assert resp.status_code == 200 and resp.context["blocking"] == []
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("applications:submit", args=[app.pk]))
    assert resp["Location"] == reverse("applications:receipt", args=[app.pk])
    app.refresh_from_db()
    assert (app.state, app.version) == (S.SUBMITTED, 1)
    resp = client.get(reverse("applications:receipt", args=[app.pk]))
    assert app.reference in resp.content.decode()
    receipt = Notification.objects.get(event=Event.SUBMISSION_RECEIPT)
    assert receipt.recipient == user
    assert mail.outbox[-1].to == ["kim@innovate.kr"]
    assert ApplicationVersion.objects.filter(application=app).count() == 1
    assert EligibilityFlag.objects.filter(application=app, passed=True).count() == 5

    # The officer asks for a supplement.
    client.force_login(officer)
    deadline = today + dt.timedelta(days=7)
    resp = client.post(
        reverse("applications:screening_detail", args=[app.pk]),
        {
            "action": "supplement",
            "message": "최신 시험성적서를 제출해 주십시오.",
            "documents_wanted": [DocumentKind.TEST_REPORT],
            "deadline": deadline.isoformat(),
        },
    )
    assert resp.status_code == 302
    app.refresh_from_db()
    assert app.state == S.SUPPLEMENT_REQUESTED
    supplement = app.supplement_requests.get()
    assert timezone.localtime(supplement.deadline).date() == deadline

    # The applicant sees what to do, and by when, in the list.
    client.force_login(user)
    resp = client.get(reverse("applications:list"))
    [row] = resp.context["applications"]
    assert row.supplement_deadline == supplement.deadline

    # The applicant answers with a new document.
    resp = client.post(
        reverse("applications:detail", args=[app.pk]),
        {
            "message": "시험성적서를 첨부합니다.",
            "doc-TOTAL_FORMS": "2",
            "doc-INITIAL_FORMS": "0",
            "doc-MIN_NUM_FORMS": "0",
            "doc-MAX_NUM_FORMS": "5",
            "doc-0-kind": DocumentKind.TEST_REPORT,
            "doc-0-file": pdf_upload("시험성적서.pdf"),
            "doc-0-issue_date": (today - dt.timedelta(days=1)).isoformat(),
            "doc-1-kind": DocumentKind.OTHER,
        },
    )
    assert resp.status_code == 302
    app.refresh_from_db()
    assert (app.state, app.version) == (S.SUBMITTED, 2)
    assert ApplicationVersion.objects.filter(application=app).count() == 2
    resp = client.get(reverse("applications:version_diff", args=[app.pk]))
    assert [d["original_name"] for d in resp.context["diff"]["documents_added"]] == [
        "시험성적서.pdf"
    ]

    # The officer marks it eligible: on to expert review.
    client.force_login(officer)
    resp = client.post(
        reverse("applications:screening_detail", args=[app.pk]),
        {"action": "eligible", "comment": ""},
    )
    assert resp.status_code == 302
    app.refresh_from_db()
    assert app.state == S.IN_REVIEW
    client.force_login(user)
    resp = client.get(reverse("applications:detail", args=[app.pk]))
    labels = [e["label"] for e in resp.context["history"]]
    assert labels == ["Submitted", "Supplement requested", "Supplement answered", "Found eligible"]
    assert [e["role"] for e in resp.context["history"]] == [
        "Applicant",
        "Programme officer",
        "Applicant",
        "Programme officer",
    ]
