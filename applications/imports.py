"""Import of national R&D projects from an NTIS-style CSV file.

The whole file is checked before anything is written: if any row is bad, the import refuses
with every bad row's line number and reasons, and the database is left as it was. Projects
are upserted on their NTIS number; an updated project's participants are replaced by the
file's. On PostgreSQL rows go in with COPY and one INSERT ... ON CONFLICT; on SQLite with
executemany of INSERT ... ON CONFLICT; on other backends with batched
bulk_create(update_conflicts=True).

Columns (a header line with exactly these names, in any order; UTF-8, with or without BOM):

    ntis_number, title, ministry, lead_organisation, lead_business_number,
    start_date, end_date, result_grade, participants

Dates are YYYY-MM-DD. result_grade is one of excellent, successful, ordinary, insufficient,
failed, ongoing (or 우수, 성공, 보통, 미흡, 실패, 진행중). participants is a list joined by `;`
of `role|organisation|business_number|department|researcher_name|researcher_number`, where
role is lead_org, participant_org, pi or researcher."""

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import ParticipantRole, ResultGrade
from .models import ProjectParticipant, RDProject
from .validators import business_number_is_valid, normalise_business_number, validate_ntis_number

COLUMNS = (
    "ntis_number",
    "title",
    "ministry",
    "lead_organisation",
    "lead_business_number",
    "start_date",
    "end_date",
    "result_grade",
    "participants",
)
PARTICIPANT_FIELDS = (
    "role",
    "organisation",
    "business_number",
    "department",
    "researcher_name",
    "researcher_number",
)
KOREAN_GRADES = {
    "우수": ResultGrade.EXCELLENT,
    "성공": ResultGrade.SUCCESSFUL,
    "보통": ResultGrade.ORDINARY,
    "미흡": ResultGrade.INSUFFICIENT,
    "실패": ResultGrade.FAILED,
    "진행중": ResultGrade.ONGOING,
}
BATCH = 2000
# Looked up once: the enums' .values build a new list on every access.
ROLES = frozenset(ParticipantRole.values)
GRADES = frozenset(ResultGrade.values)
PROJECT_COLUMNS = COLUMNS[:-1]
PARTICIPANT_COLUMNS = (
    "role",
    "organisation_name",
    "business_number",
    "department",
    "researcher_name",
    "researcher_number",
)


@dataclass
class RowError:
    line: int
    reasons: list[str]

    def __str__(self) -> str:
        return _("line %(line)d: %(reasons)s") % {
            "line": self.line,
            "reasons": "; ".join(self.reasons),
        }


class ImportRefused(Exception):
    """The file cannot be imported; `errors` says why, row by row where it can."""

    def __init__(self, message: str, errors: list[RowError] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or []

    def report(self) -> str:
        return "\n".join([self.message, *(str(e) for e in self.errors)])


@dataclass
class ProjectRow:
    line: int
    values: dict
    participants: list[tuple[str, ...]]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    participants: int = 0
    rows: int = 0
    method: str = ""
    errors: list[RowError] = field(default_factory=list)


@lru_cache(maxsize=65536)
def _bn_ok(digits: str) -> bool:
    # The same organisations recur across thousands of projects.
    return business_number_is_valid(digits)


def _clean_bn(value: str) -> str:
    return value if value.isdigit() else normalise_business_number(value)


def _date(value: str, label: str, reasons: list[str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        reasons.append(
            _("%(label)s “%(value)s” is not a date written YYYY-MM-DD")
            % {"label": label, "value": value}
        )
        return None


def _participants(text: str, reasons: list[str]) -> list[tuple[str, ...]]:
    rows = []
    for n, chunk in enumerate((c for c in text.split(";") if c.strip()), start=1):
        parts = [p.strip() for p in chunk.split("|")]
        if len(parts) != len(PARTICIPANT_FIELDS):
            reasons.append(
                _("participant %(n)d has %(count)d fields separated by |, not %(expected)d")
                % {"n": n, "count": len(parts), "expected": len(PARTICIPANT_FIELDS)}
            )
            continue
        role, org, bn, dept, name, number = parts
        if role not in ROLES:
            reasons.append(
                _("participant %(n)d has the unknown role “%(role)s” (use %(roles)s)")
                % {"n": n, "role": role, "roles": ", ".join(ParticipantRole.values)}
            )
        if not org:
            reasons.append(_("participant %(n)d has no organisation") % {"n": n})
        bn = _clean_bn(bn)
        if bn and not _bn_ok(bn):
            reasons.append(
                _("participant %(n)d has an invalid business registration number “%(bn)s”")
                % {"n": n, "bn": parts[2]}
            )
        if number and not (number.isdigit() and len(number) <= 12):
            reasons.append(
                _("participant %(n)d has a researcher number “%(number)s” that is not digits")
                % {"n": n, "number": number}
            )
        rows.append((role, org[:200], bn, dept[:200], name[:100], number))
    return rows


def check_row(raw: dict, line: int) -> tuple[ProjectRow | None, list[str]]:
    """One CSV row, checked and cleaned; reasons lists what is wrong with it."""
    reasons: list[str] = []
    get = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    number = get["ntis_number"]
    try:
        validate_ntis_number(number)
    except ValidationError:
        reasons.append(
            _("NTIS number “%(number)s” is not 10 digits or RS-YYYY-NNNNNNNN") % {"number": number}
        )
    for name, limit in (("title", 300), ("ministry", 100), ("lead_organisation", 200)):
        if not get[name]:
            reasons.append(_("%(column)s is empty") % {"column": name})
        elif len(get[name]) > limit:
            reasons.append(
                _("%(column)s is longer than %(limit)d characters")
                % {"column": name, "limit": limit}
            )
    lead_bn = _clean_bn(get["lead_business_number"])
    if lead_bn and not _bn_ok(lead_bn):
        reasons.append(
            _("lead_business_number “%(bn)s” is not a valid business registration number")
            % {"bn": get["lead_business_number"]}
        )
    start = _date(get["start_date"], "start_date", reasons)
    end = _date(get["end_date"], "end_date", reasons)
    if start and end and end < start:
        reasons.append(
            _("end_date %(end)s is before start_date %(start)s")
            % {"end": end.isoformat(), "start": start.isoformat()}
        )
    grade = KOREAN_GRADES.get(get["result_grade"], get["result_grade"].lower())
    if grade not in GRADES:
        reasons.append(
            _("result_grade “%(grade)s” is unknown (use %(grades)s)")
            % {"grade": get["result_grade"], "grades": ", ".join(ResultGrade.values)}
        )
    participants = _participants(get["participants"], reasons)
    if reasons:
        return None, reasons
    values = {
        "ntis_number": number,
        "title": get["title"],
        "ministry": get["ministry"],
        "lead_organisation": get["lead_organisation"],
        "lead_business_number": lead_bn,
        "start_date": start,
        "end_date": end,
        "result_grade": grade,
    }
    return ProjectRow(line=line, values=values, participants=participants), []


def read_rows(
    stream: Iterable[str], progress: Callable[[int], None] | None = None
) -> list[ProjectRow]:
    """Parse and check the whole file; raise ImportRefused listing every bad row."""
    reader = csv.DictReader(stream)
    header = reader.fieldnames
    if header is None:
        raise ImportRefused(
            _("The file is empty: the first line must be the header %(columns)s.")
            % {"columns": ",".join(COLUMNS)}
        )
    header = [h.strip() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        raise ImportRefused(
            _(
                "line 1: the header is not the expected one (missing: %(missing)s; unknown: "
                "%(unknown)s). It must name the columns %(columns)s."
            )
            % {
                "missing": ", ".join(missing) or "-",
                "unknown": ", ".join(unknown) or "-",
                "columns": ",".join(COLUMNS),
            }
        )
    reader.fieldnames = header
    rows: list[ProjectRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        if None in raw:
            errors.append(RowError(line, [_("the row has more fields than the header")]))
            continue
        if all(not (v or "").strip() for v in raw.values()):
            continue  # a blank line is not an error
        row, reasons = check_row(raw, line)
        number = (raw.get("ntis_number") or "").strip()
        if number in seen:
            reasons.append(
                _("NTIS number %(number)s is also on line %(line)d")
                % {"number": number, "line": seen[number]}
            )
        else:
            seen[number] = line
        if reasons:
            errors.append(RowError(line, reasons))
        else:
            rows.append(row)
        if progress:
            progress(1)
    if errors:
        raise ImportRefused(
            _("%(count)d bad rows: nothing was imported.") % {"count": len(errors)}, errors
        )
    return rows


def _write_postgresql(rows: list[ProjectRow], progress) -> tuple[int, int]:
    """COPY into a temporary table, then one INSERT ... ON CONFLICT; participants by COPY."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE import_rdproject ("
            " ntis_number varchar(20), title varchar(300), ministry varchar(100),"
            " lead_organisation varchar(200), lead_business_number varchar(12),"
            " start_date date, end_date date, result_grade varchar(20)) ON COMMIT DROP"
        )
        with cursor.copy(f"COPY import_rdproject ({', '.join(PROJECT_COLUMNS)}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row([row.values[c] for c in PROJECT_COLUMNS])
                if progress:
                    progress(1)
        table = RDProject._meta.db_table
        cols = ", ".join(PROJECT_COLUMNS)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in PROJECT_COLUMNS[1:])
        cursor.execute(
            f"INSERT INTO {table} ({cols}, title_en, updated_at) "  # noqa: S608 - fixed names
            f"SELECT {cols}, '', %s FROM import_rdproject "
            f"ON CONFLICT (ntis_number) DO UPDATE SET {updates}, updated_at = EXCLUDED.updated_at "
            "RETURNING id, ntis_number, (xmax = 0)",
            [timezone.now()],
        )
        returned = cursor.fetchall()
        ids = {number: pk for pk, number, _ in returned}
        created = sum(1 for *_, inserted in returned if inserted)
        updated_ids = [pk for pk, _, inserted in returned if not inserted]
        # Dropped now rather than at commit: a caller's outer transaction may import again.
        cursor.execute("DROP TABLE import_rdproject")
        part_table = ProjectParticipant._meta.db_table
        if updated_ids:
            cursor.execute(
                f"DELETE FROM {part_table} WHERE project_id = ANY(%s)",  # noqa: S608
                [updated_ids],
            )
        with cursor.copy(
            f"COPY {part_table} (project_id, {', '.join(PARTICIPANT_COLUMNS)}) FROM STDIN"
        ) as cp:
            for row in rows:
                pk = ids[row.values["ntis_number"]]
                for participant in row.participants:
                    cp.write_row((pk, *participant))
    return created, len(updated_ids)


def _numbers_to_ids(numbers: list[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for i in range(0, len(numbers), 900):  # SQLite limits the parameters of one query
        ids.update(
            RDProject.objects.filter(ntis_number__in=numbers[i : i + 900]).values_list(
                "ntis_number", "pk"
            )
        )
    return ids


def _write_sqlite(rows: list[ProjectRow], progress) -> tuple[int, int]:
    """executemany of INSERT ... ON CONFLICT: the ORM's per-value work made bulk_create take
    about 40 s for 60,000 projects with 120,000 participants; this takes a few seconds."""
    ops = connection.ops
    existing = set(_numbers_to_ids([r.values["ntis_number"] for r in rows]))
    now = ops.adapt_datetimefield_value(timezone.now())
    table = RDProject._meta.db_table
    cols = ", ".join(PROJECT_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in (*PROJECT_COLUMNS[1:], "updated_at"))
    marks = ", ".join(["%s"] * (len(PROJECT_COLUMNS) + 2))
    sql = (
        f"INSERT INTO {table} ({cols}, title_en, updated_at) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT (ntis_number) DO UPDATE SET {updates}"
    )

    def params(row):
        v = row.values
        return (
            v["ntis_number"],
            v["title"],
            v["ministry"],
            v["lead_organisation"],
            v["lead_business_number"],
            ops.adapt_datefield_value(v["start_date"]),
            ops.adapt_datefield_value(v["end_date"]),
            v["result_grade"],
            "",
            now,
        )

    with connection.cursor() as cursor:
        for i in range(0, len(rows), BATCH):
            batch = rows[i : i + BATCH]
            cursor.executemany(sql, [params(r) for r in batch])
            if progress:
                progress(len(batch))
        ids = _numbers_to_ids([r.values["ntis_number"] for r in rows])
        part_table = ProjectParticipant._meta.db_table
        cursor.executemany(
            f"DELETE FROM {part_table} WHERE project_id = %s",  # noqa: S608
            [(ids[n],) for n in existing],
        )
        cursor.executemany(
            f"INSERT INTO {part_table} (project_id, {', '.join(PARTICIPANT_COLUMNS)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * (len(PARTICIPANT_COLUMNS) + 1))})",
            [(ids[r.values["ntis_number"]], *p) for r in rows for p in r.participants],
        )
    return len(rows) - len(existing), len(existing)


def _write_generic(rows: list[ProjectRow], progress) -> tuple[int, int]:
    """Batched bulk_create(update_conflicts=True), for backends without a faster path."""
    existing = set(_numbers_to_ids([r.values["ntis_number"] for r in rows]))
    for i in range(0, len(rows), BATCH):
        batch = rows[i : i + BATCH]
        RDProject.objects.bulk_create(
            [RDProject(**r.values) for r in batch],
            update_conflicts=True,
            unique_fields=["ntis_number"],
            update_fields=[*PROJECT_COLUMNS[1:], "updated_at"],
        )
        if progress:
            progress(len(batch))
    # Keys are looked up rather than read from the objects: not every backend returns them
    # from an upsert.
    ids = _numbers_to_ids([r.values["ntis_number"] for r in rows])
    updated_ids = [ids[n] for n in existing]
    for i in range(0, len(updated_ids), 900):
        ProjectParticipant.objects.filter(project_id__in=updated_ids[i : i + 900]).delete()
    ProjectParticipant.objects.bulk_create(
        (
            ProjectParticipant(
                project_id=ids[row.values["ntis_number"]],
                **dict(zip(PARTICIPANT_COLUMNS, participant, strict=True)),
            )
            for row in rows
            for participant in row.participants
        ),
        batch_size=BATCH,
    )
    return len(rows) - len(existing), len(existing)


WRITERS = {
    "postgresql": (_write_postgresql, "COPY + INSERT ... ON CONFLICT"),
    "sqlite": (_write_sqlite, "executemany INSERT ... ON CONFLICT"),
}


def import_rd_projects(
    *,
    source: str | Path | io.TextIOBase,
    progress_factory: Callable[[str, int | None], Callable[[int], None]] | None = None,
) -> ImportResult:
    """Import an NTIS-style CSV file, all or nothing:

    1. read and check every row (header, NTIS number, dates in order, known grade,
       participants); any bad row refuses the whole file with ImportRefused;
    2. in one transaction, upsert the projects on their NTIS number (COPY and
       INSERT ... ON CONFLICT on PostgreSQL, batched bulk_create elsewhere);
    3. replace the participants of every project in the file with the file's.

    `progress_factory(label, total)` returns a callable advanced by the number of rows done;
    the command passes a tqdm bar."""

    def bar(label: str, total: int | None):
        return progress_factory(label, total) if progress_factory else None

    if isinstance(source, str | Path):
        with open(source, encoding="utf-8-sig", newline="") as fh:
            rows = read_rows(fh, bar(_("checking"), None))
    else:
        rows = read_rows(source, bar(_("checking"), None))

    result = ImportResult(rows=len(rows))
    if not rows:
        return result
    writer, result.method = WRITERS.get(
        connection.vendor, (_write_generic, "bulk_create(update_conflicts=True)")
    )
    with transaction.atomic():
        result.created, result.updated = writer(rows, bar(_("importing"), len(rows)))
    result.participants = sum(len(r.participants) for r in rows)
    return result
