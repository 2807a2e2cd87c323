"""Conflicts of interest between experts and applications, computed set-wise in SQL.

One query returns every conflicted (expert, application, rule) triple for a set of
applications: a UNION ALL of one join per rule, so the cost does not grow with a Python loop
over pairs. A pair may appear under several rules; each row says which rule fired.

The rules (ConflictRule):

- SAME_ORGANISATION (round's conflict scope "organisation"): the expert's organisation is the
  applicant organisation: the same registered Organisation, or the same business
  registration number (compared as digits only).
- SAME_DEPARTMENT (scope "department", the 2024 rule): the same organisation as above AND the
  same department. The applicant's department is the department recorded on its own
  participation (same business number) in the R&D projects linked to the application. Our
  reading, stated because the rule is silent on missing data: when the applicant's
  department is not recorded, or the expert's department is blank, we cannot show the
  departments differ, so the whole-organisation rule applies (the conflict fires).
  Departments compare case-insensitively after trimming.
- PROJECT_PARTICIPANT: the expert's national researcher number appears among the
  participants of any R&D project linked to the application.
- NAMED_UNSUITABLE: the applicant named the expert unsuitable and an officer accepted it
  (the request's matched expert profile).
- DECLARED / RECUSED: the expert's own ConflictDeclaration for the application.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection

from accounts.models import Organisation
from applications.models import Application, ProjectParticipant, RDProject, Round

from .enums import ConflictRule, RequestDecision
from .models import ConflictDeclaration, ExpertProfile, UnsuitableExpertRequest


def _tables() -> dict[str, str]:
    return {
        "app": Application._meta.db_table,
        "org": Organisation._meta.db_table,
        "round": Round._meta.db_table,
        "link": Application.rd_projects.through._meta.db_table,
        "part": ProjectParticipant._meta.db_table,
        "project": RDProject._meta.db_table,
        "expert": ExpertProfile._meta.db_table,
        "unsuitable": UnsuitableExpertRequest._meta.db_table,
        "declaration": ConflictDeclaration._meta.db_table,
    }


# Portable SQL (PostgreSQL and SQLite): CTEs, UNION ALL, REPLACE/LOWER/TRIM only.
# {apps_filter} and {expert_filter} are placeholders lists, never user text.
_SQL = """
WITH apps AS (
    SELECT a.id AS app_id, a.organisation_id AS org_id,
           REPLACE(o.business_number, '-', '') AS brn, r.conflict_scope AS scope
    FROM {app} a
    JOIN {org} o ON o.id = a.organisation_id
    JOIN {round} r ON r.id = a.round_id
    WHERE a.id IN ({apps_filter})
),
experts AS (
    SELECT e.id AS expert_id, e.organisation_id AS org_id,
           REPLACE(e.business_number, '-', '') AS brn,
           LOWER(TRIM(e.department)) AS dept, e.researcher_number AS rno
    FROM {expert} e
    WHERE 1 = 1 {expert_filter}
),
app_depts AS (
    SELECT DISTINCT ap.app_id, LOWER(TRIM(pp.department)) AS dept
    FROM apps ap
    JOIN {link} l ON l.application_id = ap.app_id
    JOIN {part} pp ON pp.project_id = l.rdproject_id
    WHERE TRIM(pp.department) <> '' AND REPLACE(pp.business_number, '-', '') = ap.brn
),
same_org AS (
    SELECT ex.expert_id, ap.app_id, ap.scope, ex.dept
    FROM apps ap JOIN experts ex ON ex.org_id = ap.org_id
    UNION
    SELECT ex.expert_id, ap.app_id, ap.scope, ex.dept
    FROM apps ap JOIN experts ex ON ex.brn = ap.brn AND ex.brn <> ''
)
SELECT s.expert_id, s.app_id, 'same_organisation'
FROM same_org s WHERE s.scope = 'organisation'
UNION ALL
SELECT s.expert_id, s.app_id, 'same_department'
FROM same_org s
WHERE s.scope = 'department' AND (
    s.dept = ''
    OR NOT EXISTS (SELECT 1 FROM app_depts d WHERE d.app_id = s.app_id)
    OR EXISTS (SELECT 1 FROM app_depts d WHERE d.app_id = s.app_id AND d.dept = s.dept)
)
UNION ALL
SELECT DISTINCT ex.expert_id, ap.app_id, 'project_participant'
FROM apps ap
JOIN {link} l ON l.application_id = ap.app_id
JOIN {part} pp ON pp.project_id = l.rdproject_id
JOIN experts ex ON ex.rno = pp.researcher_number AND ex.rno <> ''
UNION ALL
SELECT u.matched_expert_id, u.application_id, 'named_unsuitable'
FROM {unsuitable} u
JOIN apps ap ON ap.app_id = u.application_id
JOIN experts ex ON ex.expert_id = u.matched_expert_id
WHERE u.decision = %s
UNION ALL
SELECT c.expert_id, c.application_id,
       CASE WHEN c.is_recusal THEN 'recused' ELSE 'declared' END
FROM {declaration} c
JOIN apps ap ON ap.app_id = c.application_id
JOIN experts ex ON ex.expert_id = c.expert_id
"""


def conflict_rows(
    *, application_ids: Iterable[int], expert_ids: Iterable[int] | None = None
) -> list[tuple[int, int, str]]:
    """Every conflicted (expert_id, application_id, rule) for these applications, in one
    query. `expert_ids` narrows the experts considered (None: the whole pool)."""
    app_ids = sorted({int(i) for i in application_ids})
    if not app_ids:
        return []
    params: list = list(app_ids)
    expert_filter = ""
    if expert_ids is not None:
        e_ids = sorted({int(i) for i in expert_ids})
        if not e_ids:
            return []
        expert_filter = "AND e.id IN ({})".format(", ".join(["%s"] * len(e_ids)))
        params.extend(e_ids)
    params.append(RequestDecision.ACCEPTED.value)
    sql = _SQL.format(
        apps_filter=", ".join(["%s"] * len(app_ids)),
        expert_filter=expert_filter,
        **_tables(),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(e), int(a), str(rule)) for e, a, rule in cursor.fetchall()]


def conflict_map(
    *, application_ids: Iterable[int], expert_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], list[str]]:
    """(expert_id, application_id) → sorted list of the rules that fired."""
    out: dict[tuple[int, int], set[str]] = defaultdict(set)
    for expert_id, app_id, rule in conflict_rows(
        application_ids=application_ids, expert_ids=expert_ids
    ):
        out[(expert_id, app_id)].add(rule)
    return {pair: sorted(rules) for pair, rules in out.items()}


def conflicts_for_pair(*, expert: ExpertProfile, application: Application) -> list[str]:
    """The rules that make this expert conflicted on this application (empty: none)."""
    return conflict_map(application_ids=[application.pk], expert_ids=[expert.pk]).get(
        (expert.pk, application.pk), []
    )


def rule_label(rule: str) -> str:
    return str(ConflictRule(rule).label)
