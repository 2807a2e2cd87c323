"""Expert review pages: experts see only their own; assignment runs are for programme staff."""

from . import Entry, row


def _run(world) -> dict:
    from panels.enums import AssignmentRunState
    from panels.models import AssignmentRun

    run, _ = AssignmentRun.objects.get_or_create(
        round=world.application.round,
        reason="matrix",
        defaults={"state": AssignmentRunState.PROPOSED, "launched_by": world.user("officer")},
    )
    return {"pk": run.pk}


def _invitation(world) -> dict:
    return {"pk": world.assignment.pk}


STAFF_PAGE = row(403, anonymous=302, officer=200, superuser=200)
STAFF_POST_ONLY = {
    "GET": row(405, anonymous=302),
    "POST": row(403, anonymous=302, officer=302, superuser=302),
}
# Only the invited expert answers their own invitation; anyone else's id answers 404.
OWN_INVITATION_FORM = row(404, anonymous=302, assigned_expert=200)

ENTRIES = {
    "panels:dashboard": Entry(
        methods={"GET": row(403, anonymous=302, assigned_expert=200, conflicted_expert=200)}
    ),
    "panels:assignment_home": Entry(methods={"GET": STAFF_PAGE, "POST": STAFF_PAGE}),
    "panels:assignment_run": Entry(methods={"GET": STAFF_PAGE}, kwargs=_run),
    "panels:assignment_run_progress": Entry(methods={"GET": STAFF_PAGE}, kwargs=_run),
    "panels:assignment_run_confirm": Entry(methods=STAFF_POST_ONLY, kwargs=_run),
    "panels:assignment_run_discard": Entry(methods=STAFF_POST_ONLY, kwargs=_run),
    "panels:invitation_list": Entry(
        methods={"GET": row(403, anonymous=302, assigned_expert=200, conflicted_expert=200)}
    ),
    "panels:invitation_detail": Entry(methods={"GET": OWN_INVITATION_FORM}, kwargs=_invitation),
    "panels:invitation_accept": Entry(
        methods={
            "GET": row(405, anonymous=302),
            "POST": row(404, anonymous=302, assigned_expert=302),
        },
        kwargs=_invitation,
    ),
    "panels:invitation_decline": Entry(
        methods={"GET": OWN_INVITATION_FORM, "POST": OWN_INVITATION_FORM}, kwargs=_invitation
    ),
    "panels:invitation_conflict": Entry(
        methods={"GET": OWN_INVITATION_FORM, "POST": OWN_INVITATION_FORM}, kwargs=_invitation
    ),
}


# --- scoring and consensus ---------------------------------------------------------------


def _application(world) -> dict:
    return {"pk": world.application.pk}


def _document(world) -> dict:
    return {"pk": world.application.pk, "document_pk": world.extra["document"].pk}


# The assigned expert's own review; conflicted (even if once assigned) and everyone else: 404.
OWN_REVIEW = row(404, anonymous=302, assigned_expert=200)
STAFF_ONLY_404 = row(404, anonymous=302, officer=200, superuser=200)

ENTRIES |= {
    "panels:review_detail": Entry(methods={"GET": OWN_REVIEW}, kwargs=_application),
    # An empty pledge is refused with its form (400); nobody else has a pledge to sign.
    "panels:review_pledge": Entry(
        methods={
            "GET": row(405, anonymous=302),
            "POST": row(404, anonymous=302, assigned_expert=400),
        },
        kwargs=_application,
    ),
    "panels:review_score": Entry(
        methods={"GET": OWN_REVIEW, "POST": row(404, anonymous=302, assigned_expert=302)},
        kwargs=_application,
    ),
    "panels:review_document": Entry(methods={"GET": OWN_REVIEW}, kwargs=_document),
    # Programme staff read the panel's consensus; only the chair records it, while open.
    "panels:consensus": Entry(
        methods={"GET": STAFF_ONLY_404, "POST": row(404, anonymous=302)}, kwargs=_application
    ),
    "panels:expert_mileage": Entry(methods={"GET": STAFF_ONLY_404}),
    "panels:panel_close": Entry(
        methods={
            "GET": row(405, anonymous=302),
            "POST": row(404, anonymous=302, officer=400, superuser=400),
        }
    ),
}
