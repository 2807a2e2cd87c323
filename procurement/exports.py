"""CSV and XLSX exports of a round's results, the register and the catalogue. Every status is
computed on the Korean date of the export, so an ended certificate never shows as valid."""

import csv
import datetime as dt
import io

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationState as S
from applications.models import Application, Round
from audit.services import audit_record
from panels.models import Consensus

from .enums import CertificateState, ExportKind
from .models import SEOUL, CatalogueEntry, Certificate, seoul_today

CS = CertificateState


def _status_label(certificate, today) -> str:
    return str(CS(certificate.status_on(today)).label) if certificate else ""


def _day(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, SEOUL).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def round_results(round_: Round, today=None) -> tuple[list[str], list[list]]:
    today = today or seoul_today()
    header = [
        _("Reference"),
        _("Product"),
        _("Company"),
        _("Business registration number"),
        _("Sub-field"),
        _("Status"),
        _("Consensus score"),
        _("Decided"),
        _("Result released"),
        _("Certificate number"),
        _("Certificate status"),
    ]
    apps = (
        Application.objects.filter(round=round_)
        .exclude(state=S.DRAFT)
        .select_related("organisation", "subfield", "certificate")
        .prefetch_related(
            Prefetch(
                "consensus_records",
                queryset=Consensus.objects.only("id", "application_id", "score").order_by(
                    "-recorded_at", "-id"
                ),
                to_attr="consensus_list",
            )
        )
        .order_by("reference")
    )
    rows = []
    for a in apps:
        certificate = getattr(a, "certificate", None)
        rows.append(
            [
                a.reference or "",
                a.product_name,
                a.organisation.name,
                a.organisation.business_number_display,
                a.subfield.name if a.subfield else "",
                str(a.get_state_display()),
                str(a.consensus_list[0].score) if a.consensus_list else "",
                _day(a.decided_at),
                _day(a.result_released_at),
                certificate.number if certificate else "",
                _status_label(certificate, today),
            ]
        )
    return header, rows


def register(today=None) -> tuple[list[str], list[list]]:
    today = today or seoul_today()
    header = [
        _("Certificate number"),
        _("Product"),
        _("Product (English)"),
        _("Company"),
        _("Business registration number"),
        _("Sub-field"),
        _("Issued on"),
        _("Valid until"),
        _("Extensions"),
        _("Status"),
        _("Revoked"),
        _("Reason for revocation"),
    ]
    rows = []
    for c in Certificate.objects.select_related(
        "application__organisation", "application__subfield"
    ).order_by("number"):
        a = c.application
        rows.append(
            [
                c.number,
                a.product_name,
                a.product_name_en,
                a.organisation.name,
                a.organisation.business_number_display,
                a.subfield.name if a.subfield else "",
                _day(c.issued_on),
                _day(c.valid_until),
                c.extensions_used,
                _status_label(c, today),
                _day(c.revoked_at),
                c.revocation_reason,
            ]
        )
    return header, rows


def catalogue(today=None) -> tuple[list[str], list[list]]:
    today = today or seoul_today()
    header = [
        _("Product identification number"),
        _("Classification number"),
        _("Product"),
        _("Company"),
        _("Unit price (KRW)"),
        _("Supplier contact"),
        _("Registration date"),
        _("Pre-registered before certification"),
        _("Certificate number"),
        _("Certificate status"),
        _("Eligible for fast-track purchase"),
    ]
    rows = []
    for e in CatalogueEntry.objects.select_related(
        "application__organisation", "certificate"
    ).order_by("product_identification_number"):
        rows.append(
            [
                e.product_identification_number,
                e.classification_number,
                e.application.product_name,
                e.application.organisation.name,
                e.unit_price,
                e.supplier_contact,
                _day(e.registered_on),
                _("Yes") if e.pre_registered else _("No"),
                e.certificate.number if e.certificate else "",
                _status_label(e.certificate, today),
                _("Yes") if e.fast_track_on(today) else _("No"),
            ]
        )
    return header, rows


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    """Text that a spreadsheet would run as a formula (a product named "=HYPERLINK(...)")
    is written as plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _safe_rows(rows):
    return [[_safe(v) for v in row] for row in rows]


def to_csv(header, rows) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(_safe_rows(rows))
    # The byte-order mark makes Excel read the Korean text as UTF-8.
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(header, rows, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in _safe_rows(rows):
        ws.append(row)
    ws.freeze_panes = "A2"
    for i, name in enumerate(header, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(12, len(name) + 4)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def build_export(*, kind: str, fmt: str, by, round_: Round | None = None) -> tuple[bytes, str]:
    """Build one export and record it (who, when, what) in the audit trail, since it holds
    business data. Returns (content, file name)."""
    today = seoul_today()
    if kind == ExportKind.ROUND_RESULTS:
        header, rows = round_results(round_, today)
        stem = f"ppir-results-{round_.code}"
    elif kind == ExportKind.REGISTER:
        header, rows = register(today)
        stem = "ppir-register"
    else:
        header, rows = catalogue(today)
        stem = "ppir-catalogue"
    stem = f"{stem}-{today:%Y%m%d}"
    content = to_csv(header, rows) if fmt == "csv" else to_xlsx(header, rows, stem)
    audit_record(
        action=f"export:{kind}",
        actor=by,
        obj=round_,
        data={"format": fmt, "rows": len(rows), "round": round_.code if round_ else ""},
    )
    return content, f"{stem}.{fmt}"
