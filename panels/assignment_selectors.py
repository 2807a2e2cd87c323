"""Reads of reviewer assignment, with their joins, so page queries do not grow with rows."""

from __future__ import annotations

from collections import OrderedDict

from django.db.models import Count, Q
from django.utils.translation import get_language

from applications.enums import ApplicationState
from applications.models import Round

from .enums import ACTIVE_ASSIGNMENT_STATES, AssignmentState, InfeasibleReason
from .models import Assignment, AssignmentRun

OPEN_INVITATION_STATES = (AssignmentState.INVITED,)


def rounds_for_assignment():
    """Rounds with how many applications wait in expert review."""
    return Round.objects.annotate(
        in_review=Count("applications", filter=Q(applications__state=ApplicationState.IN_REVIEW))
    ).order_by("-opens_at")


def recent_runs(*, limit: int = 20):
    return AssignmentRun.objects.select_related(
        "round", "committee__subfield", "application", "launched_by"
    ).order_by("-created_at")[:limit]


def _committee_name(entry: dict) -> str:
    english = (get_language() or "ko").startswith("en")
    return (entry.get("name_en") if english else entry.get("name_ko")) or entry.get("name_ko", "")


def run_committees(run: AssignmentRun) -> list[dict]:
    """The report's committees with display names and reason labels added."""
    out = []
    for entry in run.report.get("committees", []):
        item = dict(entry)
        item["name"] = _committee_name(entry)
        item["infeasible"] = [
            {**info, "reason_label": InfeasibleReason(info["reason"]).label}
            for info in entry.get("infeasible", [])
        ]
        out.append(item)
    return out


def run_proposal(run: AssignmentRun, *, subfield_id: int | None) -> list[dict]:
    """One committee's applications in a run, each with all its experts: the ones this run
    proposed, the ones it kept, and the replacements made since (best match first within
    each group). The total counts the experts holding a place."""
    run_apps = Assignment.objects.filter(run=run, application__subfield_id=subfield_id).values(
        "application_id"
    )
    rows = (
        Assignment.objects.filter(application_id__in=run_apps)
        .exclude(state=AssignmentState.REPLACED)
        .select_related("application", "expert__user")
        .order_by("application__reference", "application_id", "-affinity")
    )
    grouped: OrderedDict[int, dict] = OrderedDict()
    for a in rows:
        g = grouped.setdefault(
            a.application_id, {"application": a.application, "assignments": [], "total": 0.0}
        )
        a.in_this_run = a.run_id == run.pk
        g["assignments"].append(a)
        if a.state in ACTIVE_ASSIGNMENT_STATES:
            g["total"] += a.affinity
    for g in grouped.values():
        # Experts holding a place first, then those who declined, recused or lapsed.
        g["assignments"].sort(key=lambda a: a.state not in ACTIVE_ASSIGNMENT_STATES)
    return list(grouped.values())


def my_invitations(user):
    """An expert's assignments: open invitations first, then the rest, newest first."""
    return (
        Assignment.objects.filter(expert__user=user)
        .exclude(state=AssignmentState.PROPOSED)
        .select_related("application__round", "application__subfield")
        .order_by("-invited_at", "-pk")
    )
