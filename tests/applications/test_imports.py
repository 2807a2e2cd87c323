import csv
import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from applications import imports
from applications.enums import ParticipantRole, ResultGrade
from applications.imports import COLUMNS, ImportRefused, import_rd_projects
from applications.models import ProjectParticipant, RDProject

pytestmark = pytest.mark.django_db

LEAD_BN = "1248100998"


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in their English msgids, whatever catalogues exist.
    with translation.override("en"):
        yield


def write_csv(path, rows, header=COLUMNS):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def row(number, title="인공지능 재난감지 기술 개발", **overrides):
    values = {
        "ntis_number": number,
        "title": title,
        "ministry": "과학기술정보통신부",
        "lead_organisation": "주식회사 누리비전",
        "lead_business_number": "124-81-00998",
        "start_date": "2020-04-01",
        "end_date": "2023-12-31",
        "result_grade": "successful",
        "participants": (
            f"lead_org|주식회사 누리비전|{LEAD_BN}|||;"
            f"pi|주식회사 누리비전|{LEAD_BN}|연구소|김누리|11000001"
        ),
    }
    values.update(overrides)
    return [values[c] for c in COLUMNS]


def participants_of(number):
    return sorted(
        ProjectParticipant.objects.filter(project__ntis_number=number).values_list(
            "role", "organisation_name", "business_number", "researcher_name", "researcher_number"
        )
    )


def test_good_file_imports_every_project_and_participant(tmp_path):
    path = write_csv(
        tmp_path / "good.csv",
        [
            row("1711123456"),
            row("RS-2023-00012345", title="수소 충전 안전 실증", result_grade="우수"),
            row("RS-2024-00000001", participants="", end_date="2027-12-31", result_grade="진행중"),
        ],
    )
    result = import_rd_projects(source=path)
    assert (result.rows, result.created, result.updated, result.participants) == (3, 3, 0, 4)
    assert RDProject.objects.count() == 3
    assert ProjectParticipant.objects.count() == 4
    project = RDProject.objects.get(ntis_number="RS-2023-00012345")
    assert (project.title, project.result_grade, project.lead_business_number) == (
        "수소 충전 안전 실증",
        ResultGrade.EXCELLENT,
        LEAD_BN,
    )
    assert (project.start_date, project.end_date) == (dt.date(2020, 4, 1), dt.date(2023, 12, 31))
    assert RDProject.objects.get(ntis_number="RS-2024-00000001").result_grade == ResultGrade.ONGOING
    assert participants_of("1711123456") == [
        (ParticipantRole.LEAD_ORGANISATION, "주식회사 누리비전", LEAD_BN, "", ""),
        (
            ParticipantRole.PRINCIPAL_INVESTIGATOR,
            "주식회사 누리비전",
            LEAD_BN,
            "김누리",
            "11000001",
        ),
    ]


def test_reimport_updates_changed_title_and_replaces_participants(tmp_path):
    import_rd_projects(source=write_csv(tmp_path / "a.csv", [row("1711123456"), row("1711000001")]))
    first_pk = RDProject.objects.get(ntis_number="1711123456").pk
    result = import_rd_projects(
        source=write_csv(
            tmp_path / "b.csv",
            [
                row(
                    "1711123456",
                    title="딥러닝 기반 재난감지 고도화",
                    participants="researcher|한국전자통신연구원|2208162517|지능정보|최현우|11000002",
                ),
                row("RS-2025-00000042"),
            ],
        )
    )
    assert (result.created, result.updated, result.participants) == (1, 1, 3)
    project = RDProject.objects.get(ntis_number="1711123456")
    assert (project.pk, project.title) == (first_pk, "딥러닝 기반 재난감지 고도화")
    assert participants_of("1711123456") == [
        (ParticipantRole.RESEARCHER, "한국전자통신연구원", "2208162517", "최현우", "11000002")
    ]
    # A project not in the second file keeps its participants.
    assert len(participants_of("1711000001")) == 2
    assert RDProject.objects.count() == 3


def test_bulk_create_path_gives_the_same_result(tmp_path, monkeypatch):
    monkeypatch.setattr(imports, "WRITERS", {})
    import_rd_projects(source=write_csv(tmp_path / "a.csv", [row("1711123456")]))
    result = import_rd_projects(
        source=write_csv(
            tmp_path / "b.csv",
            [row("1711123456", title="변경된 제목", participants=""), row("1711000001")],
        )
    )
    assert (result.created, result.updated, result.method) == (
        1,
        1,
        "bulk_create(update_conflicts=True)",
    )
    assert RDProject.objects.get(ntis_number="1711123456").title == "변경된 제목"
    assert participants_of("1711123456") == []
    assert len(participants_of("1711000001")) == 2


def test_bad_file_reports_every_bad_row_and_imports_nothing(tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        [
            row("1711123456"),
            row("12345"),
            row("RS-2023-00000001", start_date="2023-05-01", end_date="2022-12-31"),
            row("RS-2023-00000002", result_grade="great"),
            row("RS-2023-00000003", participants="boss|회사|||"),
            row("RS-2023-00000004", start_date="2023/01/01", lead_business_number="123-45-67890"),
            row("1711123456"),
        ],
    )
    with pytest.raises(ImportRefused) as caught:
        import_rd_projects(source=path)
    assert caught.value.message == "6 bad rows: nothing was imported."
    assert [str(e) for e in caught.value.errors] == [
        "line 3: NTIS number “12345” is not 10 digits or RS-YYYY-NNNNNNNN",
        "line 4: end_date 2022-12-31 is before start_date 2023-05-01",
        "line 5: result_grade “great” is unknown (use excellent, successful, ordinary, "
        "insufficient, failed, ongoing)",
        "line 6: participant 1 has 5 fields separated by |, not 6",
        "line 7: lead_business_number “123-45-67890” is not a valid business registration "
        "number; start_date “2023/01/01” is not a date written YYYY-MM-DD",
        "line 8: NTIS number 1711123456 is also on line 2",
    ]
    assert RDProject.objects.count() == 0
    assert ProjectParticipant.objects.count() == 0


def test_bad_participant_role_and_number_are_reported(tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        [row("1711123456", participants="boss|회사|||김|12a;pi||||이|1")],
    )
    with pytest.raises(ImportRefused) as caught:
        import_rd_projects(source=path)
    assert [str(e) for e in caught.value.errors] == [
        "line 2: participant 1 has the unknown role “boss” (use lead_org, participant_org, pi, "
        "researcher); participant 1 has a researcher number “12a” that is not digits; "
        "participant 2 has no organisation"
    ]


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(ImportRefused) as caught:
        import_rd_projects(source=path)
    assert caught.value.message == (
        "The file is empty: the first line must be the header "
        "ntis_number,title,ministry,lead_organisation,lead_business_number,start_date,"
        "end_date,result_grade,participants."
    )
    assert caught.value.errors == []


def test_header_only_imports_nothing_and_succeeds(tmp_path):
    result = import_rd_projects(source=write_csv(tmp_path / "header.csv", []))
    assert (result.rows, result.created, result.updated) == (0, 0, 0)
    assert RDProject.objects.count() == 0


def test_wrong_header_is_refused(tmp_path):
    header = ["project_no", *COLUMNS[1:]]
    path = write_csv(tmp_path / "wrong.csv", [row("1711123456")], header=header)
    with pytest.raises(ImportRefused) as caught:
        import_rd_projects(source=path)
    assert caught.value.message.startswith(
        "line 1: the header is not the expected one (missing: ntis_number; unknown: project_no)."
    )
    assert RDProject.objects.count() == 0


def test_bom_and_blank_lines_are_accepted(tmp_path):
    path = tmp_path / "excel.csv"
    write_csv(path, [row("1711123456"), ["", "", "", "", "", "", "", "", ""], row("1711000001")])
    path.write_bytes("\ufeff".encode() + path.read_bytes())
    assert import_rd_projects(source=path).created == 2


def test_command_reports_counts(tmp_path, capsys):
    path = write_csv(tmp_path / "good.csv", [row("1711123456")])
    call_command("import_rd_projects", str(path), "--no-progress")
    out = capsys.readouterr().out
    assert "1 projects read: 1 new, 0 updated, 2 participants" in out


def test_command_fails_with_the_report_and_nonzero_exit(tmp_path, capsys):
    path = write_csv(tmp_path / "bad.csv", [row("1711123456"), row("oops")])
    with pytest.raises(CommandError, match="1 bad rows: nothing was imported."):
        call_command("import_rd_projects", str(path), "--no-progress")
    assert "line 3: NTIS number “oops” is not 10 digits" in capsys.readouterr().err
    assert RDProject.objects.count() == 0


def test_command_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_rd_projects", str(tmp_path / "nope.csv"), "--no-progress")
