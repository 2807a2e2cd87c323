"""Expert review pages."""

from . import Entry, row


def _run_pk(world) -> int:
    from panels.models import AssignmentRun

    run, _ = AssignmentRun.objects.get_or_create(round=world.application.round)
    return run.pk


STAFF_ONLY = row(403, anonymous=302, officer=200, superuser=200)
# Signed-in people meet require_POST before any permission check.
POST_ONLY = row(405, anonymous=302)
OWN_INVITATION = row(404, anonymous=302, assigned_expert=200)

ENTRIES = {
    "panels:dashboard": Entry(
        methods={"GET": row(403, anonymous=302, assigned_expert=200, conflicted_expert=200)}
    ),
    # Reviewer assignment: programme staff only.
    "panels:assignment_home": Entry(methods={"GET": STAFF_ONLY, "POST": STAFF_ONLY}),
    "panels:assignment_run": Entry(
        methods={"GET": STAFF_ONLY}, kwargs=lambda w: {"pk": _run_pk(w)}
    ),
    "panels:assignment_run_progress": Entry(
        methods={"GET": STAFF_ONLY}, kwargs=lambda w: {"pk": _run_pk(w)}
    ),
    "panels:assignment_run_confirm": Entry(
        methods={"GET": POST_ONLY, "POST": row(403, anonymous=302, officer=302, superuser=302)},
        kwargs=lambda w: {"pk": _run_pk(w)},
        note="a run not yet proposed: refused with a message, redirected to the run",
    ),
    "panels:assignment_run_discard": Entry(
        methods={"GET": POST_ONLY, "POST": row(403, anonymous=302, officer=302, superuser=302)},
        kwargs=lambda w: {"pk": _run_pk(w)},
    ),
    # Invitations: an expert sees only their own; anyone else's answers 404.
    "panels:invitation_list": Entry(
        methods={"GET": row(403, anonymous=302, assigned_expert=200, conflicted_expert=200)}
    ),
    "panels:invitation_detail": Entry(
        methods={"GET": OWN_INVITATION}, kwargs=lambda w: {"pk": w.assignment.pk}
    ),
    "panels:invitation_accept": Entry(
        methods={"GET": POST_ONLY, "POST": row(404, anonymous=302, assigned_expert=302)},
        kwargs=lambda w: {"pk": w.assignment.pk},
        note="already accepted: refused with a message, redirected to the invitation",
    ),
    "panels:invitation_decline": Entry(
        methods={"GET": OWN_INVITATION, "POST": OWN_INVITATION},
        kwargs=lambda w: {"pk": w.assignment.pk},
        note="POST without a reason: the form again with its message",
    ),
    "panels:invitation_conflict": Entry(
        methods={"GET": OWN_INVITATION, "POST": OWN_INVITATION},
        kwargs=lambda w: {"pk": w.assignment.pk},
        note="POST without a reason: the form again with its message",
    ),
}
