"""Thin Celery tasks: keyword-only ids, one service each, safe to run twice."""

from celery import shared_task

from . import services
from .models import Certificate


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def generate_certificate_pdf(*, certificate_id: int) -> str:
    """Render and store the certificate's PDF; does nothing if the stored one is current."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return "missing"
    return "written" if services.certificate_pdf_store(certificate=certificate) else "current"


@shared_task
def expire_certificates() -> int:
    """Daily: valid → expired once the validity's last day (Korean date) has passed."""
    return len(services.certificates_expire())


@shared_task
def remind_certificate_expiry() -> int:
    """Daily: reminders 90 and 30 days before the end of validity, once each."""
    return services.certificate_expiry_reminders()
