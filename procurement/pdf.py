"""The certificate as a PDF, in Korean and English, with a QR code to the public verification
page.

Font: an embedded TrueType Korean font (NanumGothic from Debian's fonts-nanum, or the file
named by PPIR_PDF_FONT) so the certificate looks the same on every viewer and its text
reads back. Without that file we fall back to reportlab's built-in CID font HYGothic-Medium,
which needs no file here but is not embedded: the viewer must supply a Korean font."""

import io
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import translation
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf",
)
BOLD_CANDIDATES = (
    "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf",
    "/usr/share/fonts/truetype/nanum/NanumBarunGothicBold.ttf",
)
CID_FALLBACK = "HYGothic-Medium"
NAVY = colors.HexColor("#03163a")
BLUE = colors.HexColor("#0b50d0")
GREY = colors.HexColor("#58616a")


def _first_existing(paths) -> Path | None:
    for p in paths:
        if p and Path(p).is_file():
            return Path(p)
    return None


@cache
def fonts() -> tuple[str, str]:
    """(regular, bold) font names registered with reportlab."""
    regular = _first_existing((getattr(settings, "PPIR_PDF_FONT", ""), *FONT_CANDIDATES))
    if regular is None:
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
        return CID_FALLBACK, CID_FALLBACK
    pdfmetrics.registerFont(TTFont("PPIRKorean", str(regular)))
    bold = _first_existing((getattr(settings, "PPIR_PDF_FONT_BOLD", ""), *BOLD_CANDIDATES))
    if bold is None:
        return "PPIRKorean", "PPIRKorean"
    pdfmetrics.registerFont(TTFont("PPIRKorean-Bold", str(bold)))
    return "PPIRKorean", "PPIRKorean-Bold"


def verify_url(number: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/verify/{number}/"


def _ko_date(day) -> str:
    return f"{day.year}년 {day.month}월 {day.day}일"


def _fit(c, text: str, font: str, size: float, width: float) -> float:
    """The largest size up to `size` at which text fits the width."""
    while size > 7 and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def render_certificate_pdf(certificate) -> bytes:
    """Draw the one-page A4 certificate and return the PDF's bytes."""
    regular, bold = fonts()
    app = certificate.application
    org = app.organisation
    subfield = app.subfield
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1)
    c.setTitle(f"{certificate.number} 혁신제품 지정서 / Certificate of designation")
    c.setAuthor("PPIR Workbench")
    c.setSubject(app.product_name)
    w, h = A4

    # Double frame.
    c.setStrokeColor(NAVY)
    c.setLineWidth(2.2)
    c.rect(12 * mm, 12 * mm, w - 24 * mm, h - 24 * mm)
    c.setLineWidth(0.6)
    c.rect(15 * mm, 15 * mm, w - 30 * mm, h - 30 * mm)

    c.setFillColor(GREY)
    c.setFont(regular, 9.5)
    c.drawString(24 * mm, h - 28 * mm, f"제 {certificate.number} 호")
    c.drawRightString(w - 24 * mm, h - 28 * mm, f"No. {certificate.number}")

    c.setFillColor(NAVY)
    c.setFont(bold, 30)
    c.drawCentredString(w / 2, h - 52 * mm, "혁신제품 지정서")
    c.setFont(regular, 14)
    c.drawCentredString(w / 2, h - 61 * mm, "Certificate of Innovative Product Designation")
    c.setStrokeColor(BLUE)
    c.setLineWidth(1.2)
    c.line(w / 2 - 40 * mm, h - 66 * mm, w / 2 + 40 * mm, h - 66 * mm)

    with translation.override("en"):
        subfield_en = subfield.name_en if subfield else "—"
    rows = [
        ("제품명", "Product", app.product_name, app.product_name_en),
        ("기업명", "Company", org.name, org.name_en),
        ("사업자등록번호", "Business registration no.", org.business_number_display, ""),
        ("기술 분야", "Sub-field", subfield.name_ko if subfield else "—", subfield_en),
        ("지정번호", "Certificate no.", certificate.number, ""),
        (
            "지정일",
            "Date of issue",
            _ko_date(certificate.issued_on),
            certificate.issued_on.isoformat(),
        ),
        (
            "유효기간",
            "Valid until",
            f"{_ko_date(certificate.valid_until)}까지",
            certificate.valid_until.isoformat(),
        ),
    ]
    if certificate.extensions_used:
        rows.append(
            (
                "기간 연장",
                "Extensions",
                f"{certificate.extensions_used}회",
                f"{certificate.extensions_used} granted",
            )
        )
    top = h - 80 * mm
    label_x, value_x, right = 24 * mm, 78 * mm, w - 24 * mm
    row_h = 13 * mm
    c.setLineWidth(0.4)
    for i, (ko, en, value_ko, value_en) in enumerate(rows):
        y = top - i * row_h
        c.setStrokeColor(colors.HexColor("#cdd1d5"))
        c.line(label_x, y - row_h + 4 * mm, right, y - row_h + 4 * mm)
        c.setFillColor(NAVY)
        c.setFont(bold, 11)
        c.drawString(label_x, y, ko)
        c.setFillColor(GREY)
        c.setFont(regular, 8.5)
        c.drawString(label_x, y - 4.6 * mm, en)
        c.setFillColor(colors.black)
        size = _fit(c, value_ko, bold, 12.5, right - value_x)
        c.setFont(bold, size)
        c.drawString(value_x, y, value_ko)
        if value_en and value_en != value_ko:
            c.setFillColor(GREY)
            c.setFont(regular, _fit(c, value_en, regular, 9.5, right - value_x))
            c.drawString(value_x, y - 4.6 * mm, value_en)

    y = top - len(rows) * row_h - 6 * mm
    c.setFillColor(colors.black)
    c.setFont(regular, 11.5)
    c.drawCentredString(w / 2, y, "위 제품을 우수연구개발 혁신제품으로 지정하였음을 증명합니다.")
    c.setFillColor(GREY)
    c.setFont(regular, 9.5)
    c.drawCentredString(
        w / 2,
        y - 6 * mm,
        "This certifies that the product above is designated an innovative product of public R&D.",
    )
    c.setFillColor(colors.black)
    c.setFont(regular, 11.5)
    c.drawCentredString(w / 2, y - 20 * mm, _ko_date(certificate.issued_on))
    c.setFillColor(NAVY)
    c.setFont(bold, 16)
    c.drawCentredString(w / 2, y - 34 * mm, "과학기술정보통신부장관")
    c.setFont(regular, 10.5)
    c.drawCentredString(w / 2, y - 40 * mm, "Minister of Science and ICT, Republic of Korea")

    # QR code to the public verification page.
    url = verify_url(certificate.number)
    qr = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = qr.getBounds()
    size = 32 * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, c, 24 * mm, 22 * mm)
    c.setFillColor(colors.black)
    c.setFont(bold, 10)
    c.drawString(60 * mm, 46 * mm, "진위 확인 · Verify this certificate")
    c.setFillColor(GREY)
    c.setFont(regular, 8.5)
    c.drawString(60 * mm, 40.5 * mm, "QR 코드를 찍거나 아래 주소에서 지정번호를 입력하세요.")
    c.drawString(60 * mm, 36 * mm, "Scan the QR code, or open this address:")
    c.setFillColor(BLUE)
    c.setFont(regular, 9)
    c.drawString(60 * mm, 30.5 * mm, url)
    c.setFillColor(GREY)
    c.setFont(regular, 7.5)
    c.drawString(60 * mm, 25 * mm, "유효기간이 지나거나 지정이 취소된 지정서는 효력이 없습니다.")
    c.drawString(60 * mm, 21.5 * mm, "An expired or revoked certificate has no effect.")
    c.showPage()
    c.save()
    return buf.getvalue()
