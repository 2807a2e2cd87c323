"""Document download: permission-checked, an attachment with safe headers, logged."""

import pytest
from django.urls import reverse

from applications import services
from audit.models import AccessLog
from tests.factories import MembershipFactory, UserFactory
from tests.factories.applicant import PDF_BYTES, DocumentFactory, eligible_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    return DocumentFactory(original_name='성적서 "최종"\r\n.pdf')


def url(doc):
    return reverse("applications:document_download", args=[doc.pk])


def test_owner_downloads_as_attachment_with_safe_headers(client, document):
    client.force_login(document.application.created_by)
    resp = client.get(url(document))
    assert resp.status_code == 200
    assert b"".join(resp.streaming_content) == PDF_BYTES
    assert resp["Content-Type"] == "application/pdf"
    assert resp["X-Content-Type-Options"] == "nosniff"
    disposition = resp["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert "\r" not in disposition and "\n" not in disposition and '"최종"' not in disposition
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.application) == (
        document.application.created_by,
        "document:download",
        document.application,
    )


def test_other_organisation_gets_404_and_nothing_is_logged(client, document):
    client.force_login(MembershipFactory().user)
    assert client.get(url(document)).status_code == 404
    assert AccessLog.objects.count() == 0


def test_user_without_organisation_gets_404(client, document):
    client.force_login(UserFactory())
    assert client.get(url(document)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, document):
    resp = client.get(url(document))
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


def test_staff_see_documents_of_submitted_applications_only(client, officer):
    app = eligible_application()
    doc = app.documents.first()
    client.force_login(officer)
    assert client.get(url(doc)).status_code == 404
    services.application_submit(application=app, by=app.created_by)
    assert client.get(url(doc)).status_code == 200


def test_unknown_id_is_404(client, document):
    client.force_login(document.application.created_by)
    assert client.get(reverse("applications:document_download", args=[99999])).status_code == 404
