"""Factories and helpers for the applicant journey and screening tests."""

import datetime as dt

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.enums import ApplicationState, DocumentKind
from applications.models import ApplicationDocument, SupplementRequest

from . import ApplicationFactory, ProjectParticipantFactory, RDProjectFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def pdf_upload(name: str = "spec.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationDocument

    application = factory.SubFactory(ApplicationFactory)
    kind = DocumentKind.SPECIFICATION
    file = factory.django.FileField(filename="x", data=PDF_BYTES)
    original_name = factory.Sequence(lambda n: f"문서{n}.pdf")
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = factory.Sequence(lambda n: f"{n:064d}")
    issue_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    uploaded_by = factory.LazyAttribute(lambda o: o.application.created_by)


class SupplementRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplementRequest

    application = factory.SubFactory(
        ApplicationFactory, state=ApplicationState.SUPPLEMENT_REQUESTED
    )
    message = "시험성적서를 보완해 주십시오."
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    requested_by = factory.SubFactory(UserFactory)


def make_eligible(app):
    """Complete a draft so that it passes every eligibility rule: a successful project its
    organisation led, an unexpired certification, documents dated before the deadline."""
    project = RDProjectFactory(
        lead_business_number=app.organisation.business_number,
        end_date=timezone.localdate() - dt.timedelta(days=365),
    )
    ProjectParticipantFactory(project=project, business_number="")
    app.rd_projects.add(project)
    DocumentFactory(application=app, kind=DocumentKind.SPECIFICATION)
    DocumentFactory(
        application=app,
        kind=DocumentKind.CERTIFICATION,
        expiry_date=timezone.localdate() + dt.timedelta(days=365),
    )
    return app


def eligible_application(**kwargs):
    """A draft that passes every rule (see make_eligible)."""
    return make_eligible(ApplicationFactory(**kwargs))


def supplement_round_trips(app, officer, times: int) -> None:
    """Supplement requested and answered `times` times: versions, history rows and answered
    requests all grow."""

    from applications import services

    for _ in range(times):
        app.refresh_from_db()
        services.application_request_supplement(
            application=app, by=officer, reason="시험성적서 보완"
        )
        app.refresh_from_db()
        services.application_answer_supplement(
            application=app, by=app.created_by, comment="첨부합니다", documents=[]
        )
