"""The database work around the pure solver: load a run's scope, build the arrays, solve,
write the proposal and its report. Called by the Celery task panels.tasks.run_assignment.

Every read is set-wise (a fixed number of queries whatever the size of the round); the
only per-row work is building text and index maps, never a loop over (expert, application)
pairs.

Reading of the rules, in one place:
- applications in scope: the run's round, state IN_REVIEW, and the run's committee (its
  sub-field) or application if set;
- an application needs `round.reviewers_per_application` minus the assignments it already
  holds (proposed, invited or accepted); after an accepted objection only re-review
  assignments count, and every expert assigned to it before is excluded (the re-review
  excludes the original evaluators);
- an expert is eligible for an application when active, a member of its sub-field's
  committee, not conflicted (panels.conflicts) and never assigned to it before (a decline,
  recusal or replacement is not asked again);
- load is per round: the expert's proposed, invited and accepted assignments in the round
  count against `max_load` (proposals of a run this one replaces do not).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Application

from . import solver
from .affinity import affinity_matrix
from .conflicts import conflict_rows
from .enums import (
    ACTIVE_ASSIGNMENT_STATES,
    OPEN_RUN_STATES,
    AssignmentRunState,
    AssignmentState,
    InfeasibleReason,
)
from .models import Assignment, AssignmentRun, Committee, ExpertProfile

log = logging.getLogger(__name__)

OBJECTION_ACCEPTED_ACTION = "transition:accept_objection"


def superseded_runs(run: AssignmentRun):
    """Open runs whose proposal this run replaces: same round, scope inside this one's.
    A slot re-run (one application) replaces nothing."""
    qs = AssignmentRun.objects.filter(round_id=run.round_id, state__in=OPEN_RUN_STATES).exclude(
        pk=run.pk
    )
    if run.application_id:
        return qs.none()
    if run.committee_id:
        return qs.filter(
            Q(committee_id=run.committee_id)
            | Q(committee__isnull=True, application__subfield_id=run.committee.subfield_id)
        )
    return qs


def _progress(run: AssignmentRun, pct: int, message: str) -> None:
    run.progress = pct
    run.progress_message = message
    run.save(update_fields=["progress", "progress_message"])


def _application_text(row: dict, titles: list[str]) -> str:
    return " ".join(
        [row["product_name"], row["product_name_en"], row["product_description"], *titles]
    )


def execute_run(*, run_id: int) -> AssignmentRun:
    """Compute a run's proposal. Safe to call twice: a run already past RUNNING is left
    alone. Progress is saved outside the write transaction so the officer's page sees it."""
    with transaction.atomic():
        run = (
            AssignmentRun.objects.select_for_update(of=("self",))
            .select_related("round", "committee", "application")
            .get(pk=run_id)
        )
        if run.state != AssignmentRunState.QUEUED:
            return run
        run.state = AssignmentRunState.RUNNING
        run.started_at = timezone.now()
        run.progress, run.progress_message = 2, "loading"
        run.save(update_fields=["state", "started_at", "progress", "progress_message"])
    try:
        _compute(run)
    except Exception as exc:
        log.exception("assignment run %s failed", run.pk)
        AssignmentRun.objects.filter(pk=run.pk).update(
            state=AssignmentRunState.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
        return run
    if run.auto_confirm and run.state == AssignmentRunState.PROPOSED:
        from .services import assignment_run_confirm

        assignment_run_confirm(run=run, by=None)
    return run


@dataclass
class Problem:
    """A run's instance: the applications and experts in scope and the solver's arrays."""

    apps: list[dict]
    expert_ids: list[int]
    pair_app: np.ndarray
    pair_expert: np.ndarray
    pair_aff: np.ndarray
    need: np.ndarray
    capacity: np.ndarray
    current_load: np.ndarray
    balance_cost: float
    k: int
    members: dict
    committees: dict
    conflicted_count: dict
    rereview: set
    replaced: list
    timings: dict = field(default_factory=dict)

    def solve(self) -> solver.Solution:
        return solver.solve(
            n_apps=len(self.apps),
            n_experts=len(self.expert_ids),
            pair_app=self.pair_app,
            pair_expert=self.pair_expert,
            affinity=self.pair_aff,
            need=self.need,
            capacity=self.capacity,
            current_load=self.current_load,
            balance_cost=self.balance_cost,
            app_group=np.array([a["subfield_id"] or 0 for a in self.apps], dtype=np.int64),
        )


def load_problem(run: AssignmentRun, *, progress=None) -> Problem:  # noqa: C901 - read top-down
    """Steps 1-4 of a run: read the scope set-wise and build the solver's arrays."""
    progress = progress or (lambda pct, message: None)
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    rnd = run.round
    k = rnd.reviewers_per_application
    replaced = list(superseded_runs(run).values_list("pk", flat=True))

    # 1. Applications in scope and what they already hold.
    apps_qs = Application.objects.filter(round=rnd, state=ApplicationState.IN_REVIEW)
    if run.application_id:
        apps_qs = apps_qs.filter(pk=run.application_id)
    elif run.committee_id:
        apps_qs = apps_qs.filter(subfield_id=run.committee.subfield_id)
    apps = list(
        apps_qs.order_by("pk").values(
            "pk",
            "reference",
            "product_name",
            "product_name_en",
            "product_description",
            "subfield_id",
        )
    )
    app_ids = [a["pk"] for a in apps]
    titles: dict[int, list[str]] = defaultdict(list)
    link = Application.rd_projects.through
    for app_id, title, title_en in link.objects.filter(application_id__in=app_ids).values_list(
        "application_id", "rdproject__title", "rdproject__title_en"
    ):
        titles[app_id].extend([title, title_en])
    rereview = set(
        Application.objects.filter(
            pk__in=app_ids, history__action=OBJECTION_ACCEPTED_ACTION
        ).values_list("pk", flat=True)
    )
    if run.is_rereview and run.application_id:
        rereview.add(run.application_id)
    held: dict[int, int] = defaultdict(int)
    before: set[tuple[int, int]] = set()
    for app_id, expert_id, state, is_rr, run_id in Assignment.objects.filter(
        application_id__in=app_ids
    ).values_list("application_id", "expert_id", "state", "is_rereview", "run_id"):
        if state == AssignmentState.PROPOSED and run_id in replaced:
            continue
        before.add((expert_id, app_id))
        if state in ACTIVE_ASSIGNMENT_STATES and (is_rr or app_id not in rereview):
            held[app_id] += 1
    progress(10, "experts")

    # 2. Committee members, their keywords and load in the round.
    subfield_ids = sorted({a["subfield_id"] for a in apps if a["subfield_id"]})
    members: dict[int, list[int]] = defaultdict(list)
    through = ExpertProfile.subfields.through
    for expert_id, sf_id in (
        through.objects.filter(subfield_id__in=subfield_ids, expertprofile__is_active=True)
        .order_by("subfield_id", "expertprofile_id")
        .values_list("expertprofile_id", "subfield_id")
    ):
        members[sf_id].append(expert_id)
    expert_ids = sorted({e for ids in members.values() for e in ids})
    experts = {
        pk: (keywords, max_load)
        for pk, keywords, max_load in ExpertProfile.objects.filter(pk__in=expert_ids).values_list(
            "pk", "keywords", "max_load"
        )
    }
    load = dict(
        Assignment.objects.filter(
            application__round=rnd, state__in=ACTIVE_ASSIGNMENT_STATES, expert_id__in=expert_ids
        )
        .exclude(state=AssignmentState.PROPOSED, run_id__in=replaced)
        .values("expert_id")
        .annotate(n=Count("pk"))
        .values_list("expert_id", "n")
    )
    committees = {
        c.subfield_id: c
        for c in Committee.objects.filter(subfield_id__in=subfield_ids).select_related("subfield")
    }
    timings["load"] = time.perf_counter() - t0
    progress(25, "conflicts")

    # 3. Conflicts, set-wise: one query for the whole scope.
    t = time.perf_counter()
    conflicted: dict[tuple[int, int], set[str]] = defaultdict(set)
    for expert_id, app_id, rule in conflict_rows(application_ids=app_ids, expert_ids=expert_ids):
        conflicted[(expert_id, app_id)].add(rule)
    timings["conflicts"] = time.perf_counter() - t
    progress(45, "affinity")

    # 4. Arrays: global indices, per-committee affinity and eligibility.
    t = time.perf_counter()
    a_index = {a["pk"]: i for i, a in enumerate(apps)}
    e_index = {pk: i for i, pk in enumerate(expert_ids)}
    need = np.array([max(k - held[a["pk"]], 0) for a in apps], dtype=np.int64)
    max_load = np.array([experts[pk][1] for pk in expert_ids], dtype=np.int64)
    cur = np.array([load.get(pk, 0) for pk in expert_ids], dtype=np.int64)
    capacity = np.maximum(max_load - cur, 0)
    by_subfield: dict[int | None, list[dict]] = defaultdict(list)
    for a in apps:
        by_subfield[a["subfield_id"]].append(a)
    pa_parts, pe_parts, aff_parts = [], [], []
    conflicted_count: dict[int, int] = defaultdict(int)
    app_sf = {a["pk"]: a["subfield_id"] for a in apps}
    excluded: dict[int | None, list[tuple[int, int]]] = defaultdict(list)
    for pair in set(conflicted) | before:
        excluded[app_sf.get(pair[1])].append(pair)
    for sf_id, sf_apps in by_subfield.items():
        sf_members = members.get(sf_id, []) if sf_id else []
        if not sf_members:
            continue
        matrix = affinity_matrix(
            [experts[pk][0] for pk in sf_members],
            [_application_text(a, titles[a["pk"]]) for a in sf_apps],
        )
        eligible = np.ones(matrix.shape, dtype=bool)
        local_e = {pk: i for i, pk in enumerate(sf_members)}
        local_a = {a["pk"]: j for j, a in enumerate(sf_apps)}
        # Sparse exclusions (conflicts, earlier assignments), not a loop over all pairs.
        for expert_id, app_id in excluded.get(sf_id, []):
            i = local_e.get(expert_id)
            if i is not None:
                if (expert_id, app_id) in conflicted:
                    conflicted_count[app_id] += 1
                eligible[i, local_a[app_id]] = False
        ei, aj = np.nonzero(eligible)
        pe_parts.append(np.array([e_index[pk] for pk in sf_members], dtype=np.int64)[ei])
        pa_parts.append(np.array([a_index[a["pk"]] for a in sf_apps], dtype=np.int64)[aj])
        aff_parts.append(matrix[ei, aj])
    pair_app = np.concatenate(pa_parts) if pa_parts else np.zeros(0, dtype=np.int64)
    pair_expert = np.concatenate(pe_parts) if pe_parts else np.zeros(0, dtype=np.int64)
    pair_aff = np.concatenate(aff_parts) if aff_parts else np.zeros(0)
    timings["affinity"] = time.perf_counter() - t
    return Problem(
        apps=apps,
        expert_ids=expert_ids,
        pair_app=pair_app,
        pair_expert=pair_expert,
        pair_aff=pair_aff,
        need=need,
        capacity=capacity,
        current_load=cur,
        # Round setting in thousandths of an affinity point per review already held.
        balance_cost=rnd.load_balance_cost / 1000.0,
        k=k,
        members=members,
        committees=committees,
        conflicted_count=conflicted_count,
        rereview=rereview,
        replaced=replaced,
        timings=timings,
    )


def _compute(run: AssignmentRun) -> None:
    t0 = time.perf_counter()
    problem = load_problem(run, progress=lambda pct, message: _progress(run, pct, message))
    timings = problem.timings
    apps, expert_ids = problem.apps, problem.expert_ids
    pair_app, pair_expert, pair_aff = problem.pair_app, problem.pair_expert, problem.pair_aff
    rereview, replaced = problem.rereview, problem.replaced
    _progress(run, 60, "solving")

    # 5. Solve (pure).
    t = time.perf_counter()
    solution = problem.solve()
    timings["solve"] = time.perf_counter() - t
    _progress(run, 85, "writing")

    # 6. Write the proposal and the report in one transaction.
    t = time.perf_counter()
    chosen = solution.chosen
    rows = [
        Assignment(
            application_id=apps[a]["pk"],
            expert_id=expert_ids[e],
            state=AssignmentState.PROPOSED,
            affinity=round(float(x), 6),
            run_id=run.pk,
            is_rereview=apps[a]["pk"] in rereview,
        )
        for a, e, x in zip(
            pair_app[chosen].tolist(),
            pair_expert[chosen].tolist(),
            pair_aff[chosen].tolist(),
            strict=True,
        )
    ]
    report = _report(
        apps=apps,
        need=problem.need,
        solution=solution,
        pair_app=pair_app,
        pair_aff=pair_aff,
        members=problem.members,
        committees=problem.committees,
        conflicted_count=problem.conflicted_count,
        k=problem.k,
    )
    with transaction.atomic():
        # An officer may have stopped the run meanwhile: then nothing is written.
        still_running = (
            AssignmentRun.objects.select_for_update()
            .filter(pk=run.pk, state=AssignmentRunState.RUNNING)
            .exists()
        )
        if not still_running:
            run.refresh_from_db()
            return
        if run.application_id and rows:
            # A slot re-run: two may race for the same place (two declines at once). Lock
            # the application and keep only what still fits, best matches first.
            Application.objects.select_for_update().filter(pk=run.application_id).first()
            holding = Assignment.objects.filter(
                application_id=run.application_id, state__in=ACTIVE_ASSIGNMENT_STATES
            )
            if run.application_id in rereview:
                holding = holding.filter(is_rereview=True)
            room = max(problem.k - holding.count(), 0)
            rows = sorted(rows, key=lambda r: -r.affinity)[:room]
        if replaced:
            Assignment.objects.filter(run_id__in=replaced, state=AssignmentState.PROPOSED).delete()
            AssignmentRun.objects.filter(pk__in=replaced).update(
                state=AssignmentRunState.DISCARDED, decided_at=timezone.now()
            )
        Assignment.objects.bulk_create(rows, batch_size=2000)
        timings["write"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - t0
        report["timings"] = {key: round(v, 3) for key, v in timings.items()}
        report["replaced_runs"] = replaced
        run.report = report
        run.state = AssignmentRunState.PROPOSED
        run.progress, run.progress_message = 100, "done"
        run.finished_at = timezone.now()
        run.save(update_fields=["report", "state", "progress", "progress_message", "finished_at"])


def _report(
    *, apps, need, solution, pair_app, pair_aff, members, committees, conflicted_count, k
) -> dict:
    """Per committee: applications, how many staffed, infeasible ones with reasons, total
    affinity. Plain JSON (codes, numbers); pages add the translated labels."""
    chosen = solution.chosen
    assigned_per_app = np.bincount(pair_app[chosen], minlength=len(apps))
    aff_per_app = np.bincount(pair_app[chosen], weights=pair_aff[chosen], minlength=len(apps))
    groups: dict[int | None, dict] = {}
    for i, a in enumerate(apps):
        sf_id = a["subfield_id"]
        committee = committees.get(sf_id)
        g = groups.setdefault(
            sf_id,
            {
                "subfield_id": sf_id,
                "committee_id": committee.pk if committee else None,
                "name_ko": committee.subfield.name_ko if committee else "",
                "name_en": committee.subfield.name_en if committee else "",
                "members": len(members.get(sf_id, [])) if sf_id else 0,
                "applications": 0,
                "already_staffed": 0,
                "staffed": 0,
                "assigned": 0,
                "total_affinity": 0.0,
                "infeasible": [],
            },
        )
        g["applications"] += 1
        if need[i] == 0:
            g["already_staffed"] += 1
            continue
        info = solution.infeasible.get(i)
        if info is None:
            g["staffed"] += 1
            g["assigned"] += int(assigned_per_app[i])
            g["total_affinity"] += float(aff_per_app[i])
            continue
        detail = info.as_dict()
        if not members.get(sf_id):
            detail["reason"] = InfeasibleReason.NO_COMMITTEE.value
        detail.update(
            application_id=a["pk"],
            reference=a["reference"] or "",
            product_name=a["product_name"],
            conflicted=conflicted_count.get(a["pk"], 0),
            members=g["members"],
        )
        g["infeasible"].append(detail)
    committees_out = sorted(groups.values(), key=lambda g: (g["subfield_id"] is None, g["name_ko"]))
    for g in committees_out:
        g["total_affinity"] = round(g["total_affinity"], 6)
    return {
        "reviewers_per_application": k,
        "committees": committees_out,
        "totals": {
            "applications": len(apps),
            "staffed": sum(g["staffed"] for g in committees_out),
            "already_staffed": sum(g["already_staffed"] for g in committees_out),
            "infeasible": sum(len(g["infeasible"]) for g in committees_out),
            "assigned": int(len(chosen)),
            "total_affinity": round(solution.total_affinity, 6),
            "balance_penalty": round(solution.balance_penalty, 6),
        },
    }
