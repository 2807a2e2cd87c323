"""Expert review pages: an expert's own invitations (anyone else's answer 404) and the
officers' assignment runs (other roles are refused)."""

from . import Entry, row


def _run(world) -> dict:
    from panels.models import AssignmentRun

    run = AssignmentRun.objects.filter(round=world.application.round).first()
    if run is None:
        run = AssignmentRun.objects.create(
            round=world.application.round, launched_by=world.user("officer")
        )
    return {"pk": run.pk}


def _invitation(world) -> dict:
    return {"pk": world.assignment.pk}


EXPERTS = row(403, anonymous=302, assigned_expert=200, conflicted_expert=200)
OFFICERS = row(403, anonymous=302, officer=200, superuser=200)
OFFICERS_ACT = row(403, anonymous=302, officer=302, superuser=302)
POST_ONLY = row(405, anonymous=302)
# The assigned expert's own invitation; for everyone else it does not exist.
OWN_INVITATION = row(404, anonymous=302, assigned_expert=200)

ENTRIES = {
    "panels:dashboard": Entry(methods={"GET": EXPERTS}),
    "panels:assignment_home": Entry(methods={"GET": OFFICERS, "POST": OFFICERS}),
    "panels:assignment_run": Entry(methods={"GET": OFFICERS, "POST": OFFICERS}, kwargs=_run),
    "panels:assignment_run_progress": Entry(methods={"GET": OFFICERS}, kwargs=_run),
    "panels:assignment_run_confirm": Entry(
        methods={"GET": POST_ONLY, "POST": OFFICERS_ACT}, kwargs=_run
    ),
    "panels:assignment_run_discard": Entry(
        methods={"GET": POST_ONLY, "POST": OFFICERS_ACT}, kwargs=_run
    ),
    "panels:invitation_list": Entry(methods={"GET": EXPERTS}),
    "panels:invitation_detail": Entry(methods={"GET": OWN_INVITATION}, kwargs=_invitation),
    "panels:invitation_accept": Entry(
        methods={"GET": POST_ONLY, "POST": row(404, anonymous=302, assigned_expert=302)},
        kwargs=_invitation,
    ),
    "panels:invitation_decline": Entry(
        methods={"GET": OWN_INVITATION, "POST": OWN_INVITATION}, kwargs=_invitation
    ),
    "panels:invitation_conflict": Entry(
        methods={"GET": OWN_INVITATION, "POST": OWN_INVITATION}, kwargs=_invitation
    ),
}
