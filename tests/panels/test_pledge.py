import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.enums import Role
from applications.enums import DocumentKind
from applications.models import ApplicationDocument
from audit.models import AccessLog, AuditEvent
from panels.enums import AssignmentState
from panels.models import ConflictDeclaration
from panels.services import review_sign_pledge
from tests.factories import ExpertProfileFactory, RDProjectFactory, UserFactory
from tests.factories.reviews import AssignmentFactory, make_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(db):
    """An application in review with 3 accepted experts who signed the pledge."""
    return make_panel()


@pytest.fixture
def assignment(panel):
    return panel.assignments[0]


DESCRIPTION = "Confidential description of the detection method"


@pytest.fixture
def unpledged():
    panel = make_panel(pledge=False)
    application = panel.application
    application.product_description = DESCRIPTION
    application.save()
    application.rd_projects.add(RDProjectFactory(title="Linked project title"))
    return panel


def _document(application, name="spec.pdf"):
    doc = ApplicationDocument(
        application=application,
        kind=DocumentKind.SPECIFICATION,
        original_name=name,
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
        uploaded_by=application.created_by,
    )
    doc.file.save("x", ContentFile(b"%PDF-1.4\n"), save=False)
    doc.save()
    return doc


def _urls(application, document=None):
    urls = [
        reverse("panels:review_detail", args=[application.pk]),
        reverse("panels:review_score", args=[application.pk]),
    ]
    if document is not None:
        urls.append(reverse("panels:review_document", args=[application.pk, document.pk]))
    return urls


def test_before_the_pledge_only_the_product_name_is_shown(client, unpledged):
    a = unpledged.assignments[0]
    client.force_login(a.expert.user)
    response = client.get(reverse("panels:review_detail", args=[unpledged.application.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert unpledged.application.display_product_name in html
    assert DESCRIPTION not in html
    assert "Linked project title" not in html


def test_before_the_pledge_the_scoring_form_and_documents_are_closed(client, unpledged):
    a = unpledged.assignments[0]
    doc = _document(unpledged.application)
    client.force_login(a.expert.user)
    score = client.get(reverse("panels:review_score", args=[unpledged.application.pk]))
    assert score.status_code == 302
    download = client.get(
        reverse("panels:review_document", args=[unpledged.application.pk, doc.pk])
    )
    assert download.status_code == 404


def test_pledge_needs_the_box_ticked(client, unpledged):
    a = unpledged.assignments[0]
    client.force_login(a.expert.user)
    response = client.post(reverse("panels:review_pledge", args=[unpledged.application.pk]), {})
    assert response.status_code == 400
    assert "Tick the box to sign the pledge." in response.content.decode()
    a.refresh_from_db()
    assert a.pledge_signed_at is None


def test_signing_the_pledge_opens_the_full_application(client, unpledged):
    a = unpledged.assignments[0]
    client.force_login(a.expert.user)
    url = reverse("panels:review_pledge", args=[unpledged.application.pk])
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.pledge_signed_at is not None
    event = AuditEvent.objects.get(action="review:pledge_signed")
    assert (event.actor, event.application, event.object_id) == (
        a.expert.user,
        unpledged.application,
        str(a.pk),
    )
    html = client.get(response.url).content.decode()
    assert DESCRIPTION in html
    assert "Linked project title" in html
    assert AccessLog.objects.filter(action="review:view_application").count() == 1


def test_signing_twice_records_once(unpledged):
    a = unpledged.assignments[0]
    first = review_sign_pledge(assignment=a, by=a.expert.user).pledge_signed_at
    second = review_sign_pledge(assignment=a, by=a.expert.user).pledge_signed_at
    assert first == second
    assert AuditEvent.objects.filter(action="review:pledge_signed").count() == 1


def test_pledge_for_someone_elses_assignment_is_denied(unpledged):
    a, b = unpledged.assignments[:2]
    with pytest.raises(PermissionDenied):
        review_sign_pledge(assignment=a, by=b.expert.user)


def test_document_download_after_the_pledge_is_an_attachment_and_logged(client, panel):
    a = panel.assignments[0]
    doc = _document(panel.application, name="사양서.pdf")
    client.force_login(a.expert.user)
    response = client.get(reverse("panels:review_document", args=[panel.application.pk, doc.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%EC%82%AC%EC%96%91%EC%84%9C.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n"
    log = AccessLog.objects.get(action="review:download_document")
    assert (log.user, log.application, log.object_id) == (
        a.expert.user,
        panel.application,
        str(doc.pk),
    )


def test_document_of_another_application_is_404(client, panel):
    other = make_panel()
    doc = _document(other.application)
    client.force_login(panel.assignments[0].expert.user)
    url = reverse("panels:review_document", args=[panel.application.pk, doc.pk])
    assert client.get(url).status_code == 404


def test_an_unassigned_expert_gets_404_everywhere(client, panel):
    doc = _document(panel.application)
    stranger = ExpertProfileFactory(subfields=[panel.application.subfield]).user
    client.force_login(stranger)
    for url in _urls(panel.application, doc):
        assert client.get(url).status_code == 404, url
    pledge = reverse("panels:review_pledge", args=[panel.application.pk])
    assert client.post(pledge, {"confirm": "on"}).status_code == 404


@pytest.mark.parametrize(
    "state", [AssignmentState.PROPOSED, AssignmentState.DECLINED, AssignmentState.RECUSED]
)
def test_an_expert_not_invited_or_accepted_gets_404(client, panel, state):
    a = panel.assignments[0]
    a.state = state
    a.save()
    client.force_login(a.expert.user)
    for url in _urls(panel.application):
        assert client.get(url).status_code == 404, url


def test_an_expert_who_declared_a_conflict_gets_404_even_after_the_pledge(client, panel):
    a = panel.assignments[0]
    ConflictDeclaration.objects.create(
        expert=a.expert, application=panel.application, reason="Former employer"
    )
    doc = _document(panel.application)
    client.force_login(a.expert.user)
    for url in _urls(panel.application, doc):
        assert client.get(url).status_code == 404, url
    response = client.get(reverse("panels:dashboard"))
    assert panel.application.reference not in response.content.decode()


def test_guessing_ids_of_other_applications_gives_404(client, panel):
    other = make_panel()
    client.force_login(panel.assignments[0].expert.user)
    for url in _urls(other.application) + [
        reverse("panels:review_detail", args=[999_999]),
    ]:
        assert client.get(url).status_code == 404, url


def test_the_applicant_gets_404_on_review_pages_and_never_sees_expert_names(client, panel):
    applicant = panel.application.created_by
    client.force_login(applicant)
    for url in _urls(panel.application):
        assert client.get(url).status_code == 404, url
    page = client.get(reverse("applications:detail", args=[panel.application.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for a in panel.assignments:
        assert a.expert.user.name not in html


def test_an_applicant_who_is_also_an_expert_elsewhere_sees_nothing_here(client, panel):
    user = UserFactory(roles=[Role.EXPERT, Role.APPLICANT])
    AssignmentFactory(expert=ExpertProfileFactory(user=user))
    client.force_login(user)
    assert (
        client.get(reverse("panels:review_detail", args=[panel.application.pk])).status_code == 404
    )


def test_superseded_documents_are_not_offered_to_experts(client, panel):
    old = _document(panel.application, name="old-spec.pdf")
    old.is_current = False
    old.save()
    client.force_login(panel.assignments[0].expert.user)
    html = client.get(reverse("panels:review_detail", args=[panel.application.pk])).content
    assert "old-spec.pdf" not in html.decode()
    url = reverse("panels:review_document", args=[panel.application.pk, old.pk])
    assert client.get(url).status_code == 404


def test_an_invited_expert_must_accept_before_the_pledge(client, unpledged):
    a = unpledged.assignments[0]
    a.state = AssignmentState.INVITED
    a.save()
    client.force_login(a.expert.user)
    url = reverse("panels:review_detail", args=[unpledged.application.pk])
    html = client.get(url).content.decode()
    assert "First accept the invitation" in html
    assert 'name="confirm"' not in html
    response = client.post(
        reverse("panels:review_pledge", args=[unpledged.application.pk]), {"confirm": "on"}
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.pledge_signed_at is None
    with pytest.raises(PermissionDenied):
        review_sign_pledge(assignment=a, by=a.expert.user)
