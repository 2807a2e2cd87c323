import datetime as dt
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from procurement import services, tasks
from procurement.models import Certificate
from tests.factories.procurement import certified_application, officer_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run after-commit callbacks (the PDF task) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _text(certificate) -> str:
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def test_pdf_text_reads_back_number_product_company_and_dates(on_commit):
    with on_commit():
        application, certificate = certified_application()
    text = _text(certificate)
    v = certificate.valid_until
    i = certificate.issued_on
    for expected in [
        "혁신제품 지정서",
        "Certificate of Innovative Product Designation",
        certificate.number,
        application.product_name,
        application.product_name_en,
        application.organisation.name,
        application.organisation.business_number_display,
        application.subfield.name_ko,
        f"{i.year}년 {i.month}월 {i.day}일",
        i.isoformat(),
        f"{v.year}년 {v.month}월 {v.day}일까지",
        v.isoformat(),
        f"http://127.0.0.1:8000/verify/{certificate.number}/",
    ]:
        assert expected in text, expected


def test_pdf_embeds_the_korean_truetype_font(on_commit):
    with on_commit():
        _, certificate = certified_application()
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    fonts = {
        str(font["/BaseFont"])
        for font in reader.pages[0]["/Resources"]["/Font"].values()
        if "/BaseFont" in font.get_object()
    }
    assert any("NanumGothic" in name for name in fonts), fonts


def test_pdf_task_is_idempotent_and_regenerates_after_extension(on_commit):
    officer = officer_user()
    with on_commit():
        application, certificate = certified_application(officer=officer)
    certificate.refresh_from_db()
    first_name = certificate.pdf.name
    assert tasks.generate_certificate_pdf(certificate_id=certificate.pk) == "current"
    certificate.refresh_from_db()
    assert certificate.pdf.name == first_name
    request = services.certificate_request_extension(
        certificate=certificate, by=application.created_by, reason="수요 지속"
    )
    with on_commit():
        services.certificate_decide_extension(
            extension=request, by=officer, approve=True, reason="ok"
        )
    certificate = Certificate.objects.get(pk=certificate.pk)
    assert certificate.pdf.name != first_name
    assert certificate.pdf_valid_until == certificate.valid_until
    text = _text(certificate)
    assert certificate.valid_until.isoformat() in text
    assert "Extensions" in text and "1 granted" in text
    assert tasks.generate_certificate_pdf(certificate_id=certificate.pk) == "current"


def test_pdf_task_for_missing_certificate_does_nothing():
    assert tasks.generate_certificate_pdf(certificate_id=999999) == "missing"


def test_pdf_page_one_renders_to_png(tmp_path, on_commit):
    with on_commit():
        _, certificate = certified_application()
    certificate.refresh_from_db()
    pdf_path = tmp_path / "c.pdf"
    with certificate.pdf.open("rb") as f:
        pdf_path.write_bytes(f.read())
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils (pdftoppm) is needed for this test"
    subprocess.run(  # noqa: S603 - fixed arguments, our own temporary files
        [pdftoppm, "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf_path), str(tmp_path / "p")],
        check=True,
    )
    png = next(tmp_path.glob("p*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_expiry_task_runs_the_service():
    _, certificate = certified_application()
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=dt.date(2020, 1, 1), valid_until=dt.date(2023, 1, 1)
    )
    assert tasks.expire_certificates() == 1
    assert tasks.expire_certificates() == 0


def test_pdf_without_the_truetype_font_falls_back_to_a_cid_font_that_reads_back(monkeypatch):
    from procurement import pdf

    _, certificate = certified_application()
    monkeypatch.setattr(pdf, "FONT_CANDIDATES", ())
    monkeypatch.setattr(pdf, "BOLD_CANDIDATES", ())
    pdf.fonts.cache_clear()
    try:
        data = pdf.render_certificate_pdf(certificate)
    finally:
        pdf.fonts.cache_clear()
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert certificate.number in text
    assert certificate.application.product_name in text
    assert f"{certificate.valid_until.year}년" in text
    assert "/HYGothic-Medium" in {
        str(f["/BaseFont"])
        for f in PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"].values()
    }
