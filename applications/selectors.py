"""Reads for applications, with the joins each page needs so query counts stay flat."""

from django.db.models import Q, QuerySet

from accounts.enums import MembershipStatus
from accounts.models import Organisation

from .enums import ApplicationState
from .models import Application


def organisations_of(*, user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        memberships__user=user, memberships__status=MembershipStatus.APPROVED
    )


def rounds_work_panel(*, limit: int = 6, now=None) -> tuple[list, dict]:
    """Open and recently closed rounds (newest first) and their application counts per
    state, in two queries: ([round, ...], {(round_id, state): count})."""
    from django.db.models import Count
    from django.utils import timezone

    from .models import Round

    now = now or timezone.now()
    rounds = list(Round.objects.filter(opens_at__lte=now).order_by("-opens_at")[:limit])
    counts = {
        (round_id, state): n
        for round_id, state, n in Application.objects.filter(round__in=[r.pk for r in rounds])
        .values_list("round_id", "state")
        .annotate(n=Count("id"))
        .order_by()
    }
    return rounds, counts


def applications_for_applicant(*, user) -> QuerySet[Application]:
    return (
        Application.objects.filter(organisation__in=organisations_of(user=user))
        .select_related("round", "subfield", "organisation")
        .order_by("-updated_at")
    )


def application_list_for_applicant(*, user) -> QuerySet[Application]:
    """The "My applications" rows, each with the deadline of its open supplement request."""
    from django.db.models import Min, Q

    return applications_for_applicant(user=user).annotate(
        supplement_deadline=Min(
            "supplement_requests__deadline",
            filter=Q(
                supplement_requests__answered_at__isnull=True,
                state=ApplicationState.SUPPLEMENT_REQUESTED,
            ),
        )
    )


def application_for_applicant(*, user, pk: int) -> Application:
    """The application if the user's organisation owns it; otherwise Http404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        applications_for_applicant(user=user).prefetch_related("rd_projects", "documents"),
        pk=pk,
    )


def _with_content(qs: QuerySet[Application]) -> QuerySet[Application]:
    from django.db.models import Prefetch

    from .models import ApplicationDocument

    return qs.select_related("round", "subfield", "organisation").prefetch_related(
        "rd_projects__participants",
        Prefetch("documents", queryset=ApplicationDocument.objects.order_by("kind", "id")),
    )


# What the wizard requires before submission, by step: the fields its forms require. A draft
# can reach the review page with a step skipped (the step links are free to follow).
REQUIRED_FOR_SUBMISSION = {
    "product": (
        "product_name",
        "product_description",
        "trl",
        "intended_buyers",
        "intended_use",
    ),
    "round": ("subfield",),
    "declarations": ("declared_truthful",),
}


def submission_gaps(application: Application) -> list[dict]:
    """The wizard steps a draft still has unanswered questions in, each as {"step": code,
    "fields": [verbose name, ...]}; empty when every required answer is given. No query."""
    gaps = []
    for step, names in REQUIRED_FOR_SUBMISSION.items():
        fields = [Application._meta.get_field(name) for name in names]
        empty = (None, "", False)
        missing = [str(f.verbose_name) for f in fields if getattr(application, f.attname) in empty]
        if missing:
            gaps.append({"step": step, "fields": missing})
    return gaps


def application_with_content(*, pk: int) -> Application:
    """One application with everything the eligibility check and review page read."""
    return _with_content(Application.objects.all()).get(pk=pk)


def draft_for_owner(*, user, pk: int) -> Application:
    """The user's organisation's application with its content; Http404 for anyone else's."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        _with_content(Application.objects.filter(organisation__in=organisations_of(user=user))),
        pk=pk,
    )


def application_for_viewer(*, user, pk: int) -> Application:
    """Owners see their organisation's applications; programme staff see submitted ones.
    Everyone else gets Http404, so ids cannot be probed."""
    from django.db.models import Q
    from django.shortcuts import get_object_or_404

    from .enums import ApplicationState
    from .rules import is_programme_staff

    visible = Q(organisation__in=organisations_of(user=user))
    if is_programme_staff(user):
        visible |= ~Q(state=ApplicationState.DRAFT)
    return get_object_or_404(_with_content(Application.objects.filter(visible)), pk=pk)


def document_for_viewer(*, user, pk: int):
    from django.db.models import Q
    from django.shortcuts import get_object_or_404

    from .enums import ApplicationState
    from .models import ApplicationDocument
    from .rules import is_programme_staff

    visible = Q(application__organisation__in=organisations_of(user=user))
    if is_programme_staff(user):
        visible |= ~Q(application__state=ApplicationState.DRAFT)
    return get_object_or_404(
        ApplicationDocument.objects.filter(visible).select_related("application"), pk=pk
    )


def project_search(*, query: str, business_number: str, limit: int = 10) -> list:
    """R&D projects by NTIS number (prefix) or title (contains), each marked with whether the
    organisation with this business number took part (as lead or participant)."""
    from django.db.models import Exists, OuterRef, Q

    from .models import ProjectParticipant, RDProject
    from .validators import normalise_business_number

    query = (query or "").strip()
    if len(query) < 2:
        return []
    brn = normalise_business_number(business_number)
    took_part = Q(lead_business_number=brn) | Exists(
        ProjectParticipant.objects.filter(project=OuterRef("pk"), business_number=brn)
    )
    return list(
        RDProject.objects.filter(
            Q(ntis_number__istartswith=query)
            | Q(title__icontains=query)
            | Q(title_en__icontains=query)
        )
        .annotate(took_part=took_part)
        .order_by("-end_date", "ntis_number")[:limit]
    )


def history_for(*, application: Application, staff: bool = False) -> list[dict]:
    """The status timeline: every transition (and for staff every recorded step), who acted
    by role only, never by name, so experts stay anonymous."""
    from django.utils.translation import gettext_lazy as _

    from accounts.enums import Role

    from .enums import ApplicationState

    roles = {**dict(Role.choices), "system": _("System"), "": _("System")}
    actions = {
        "transition:submit": _("Submitted"),
        "transition:request_supplement": _("Supplement requested"),
        "transition:answer_supplement": _("Supplement answered"),
        "transition:mark_eligible": _("Found eligible"),
        "transition:mark_ineligible": _("Found ineligible"),
        "transition:withdraw": _("Withdrawn"),
        "eligibility:override": _("Automatic verdict overridden"),
        "supplement:overdue": _("Supplement deadline passed"),
        "draft:create": _("Draft started"),
        "application:correct": _("Corrected by the programme office"),
    }
    qs = application.history.order_by("at", "id")
    if not staff:
        # The applicant sees every step of the status and every correction of their content.
        qs = qs.filter(Q(action__startswith="transition:") | Q(action="application:correct"))
    states = dict(ApplicationState.choices)
    return [
        {
            "at": e.at,
            "label": actions.get(e.action) or states.get(e.to_state) or e.action,
            "to_state": e.to_state,
            "state_label": states.get(e.to_state, ""),
            "role": roles.get(e.actor_role, e.actor_role),
            # An officer's note on marking eligible is internal; other comments (supplement
            # requests, reasons) are written for the applicant.
            "comment": e.comment if staff or e.action != "transition:mark_eligible" else "",
            "action": e.action,
        }
        for e in qs
    ]


def supplements_for(*, application: Application) -> list:
    return list(application.supplement_requests.select_related("requested_by").order_by("-id"))


def versions_for(*, application: Application) -> list:
    return list(
        application.versions.order_by("number").only("id", "application_id", "number", "created_at")
    )


def screening_queue(
    *,
    round_id: int | None = None,
    subfield_id: int | None = None,
    state: str | None = None,
    flagged_only: bool = False,
    overdue_only: bool = False,
) -> QuerySet[Application]:
    """Submitted applications waiting for screening, oldest first, with their open flags and
    overdue supplement requests counted in the same query."""
    from django.db.models import Count, Exists, OuterRef, Q
    from django.utils import timezone

    from .enums import SCREENING_STATES
    from .models import SupplementRequest

    qs = Application.objects.filter(state__in=SCREENING_STATES)
    if round_id:
        qs = qs.filter(round_id=round_id)
    if subfield_id:
        qs = qs.filter(subfield_id=subfield_id)
    if state in SCREENING_STATES:
        qs = qs.filter(state=state)
    overdue = SupplementRequest.objects.filter(
        application=OuterRef("pk"), answered_at__isnull=True, deadline__lt=timezone.now()
    )
    qs = qs.annotate(
        open_flags=Count(
            "eligibility_flags",
            filter=Q(eligibility_flags__passed=False, eligibility_flags__override_passed=None),
        ),
        supplement_overdue=Exists(overdue),
    )
    if flagged_only:
        qs = qs.filter(open_flags__gt=0)
    if overdue_only:
        qs = qs.filter(supplement_overdue=True)
    return qs.select_related("round", "subfield", "organisation").order_by("submitted_at", "id")


def version_diff(older: dict, newer: dict) -> dict:
    """What changed between two snapshots: fields (old, new), projects and documents added
    or removed. Documents are matched by their content hash and kind, so a re-upload of the
    same file is not a change."""
    fields = []
    old_f, new_f = older.get("fields", {}), newer.get("fields", {})
    for name in new_f.keys() | old_f.keys():
        if old_f.get(name) != new_f.get(name):
            fields.append({"name": name, "old": old_f.get(name), "new": new_f.get(name)})
    fields.sort(key=lambda f: list(new_f).index(f["name"]) if f["name"] in new_f else 99)

    def keyed(items, key):
        return {key(i): i for i in items}

    def proj_key(p):
        return p["ntis_number"]

    def doc_key(d):
        return (d["kind"], d["sha256"], d.get("issue_date"), d.get("expiry_date"))

    old_p = keyed(older.get("projects", []), proj_key)
    new_p = keyed(newer.get("projects", []), proj_key)
    old_d = keyed(older.get("documents", []), doc_key)
    new_d = keyed(newer.get("documents", []), doc_key)
    return {
        "fields": fields,
        "projects_added": [new_p[k] for k in new_p.keys() - old_p.keys()],
        "projects_removed": [old_p[k] for k in old_p.keys() - new_p.keys()],
        "documents_added": [new_d[k] for k in sorted(new_d.keys() - old_d.keys(), key=str)],
        "documents_removed": [old_d[k] for k in sorted(old_d.keys() - new_d.keys(), key=str)],
    }
