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


def _app(world) -> dict:
    return {"pk": world.application.pk}


def _app_document(world) -> dict:
    from django.core.files.base import ContentFile

    from applications.enums import DocumentKind
    from applications.models import ApplicationDocument

    doc = world.application.documents.first()
    if doc is None:
        doc = ApplicationDocument(
            application=world.application,
            kind=DocumentKind.SPECIFICATION,
            original_name="spec.pdf",
            content_type="application/pdf",
            size=9,
            sha256="0" * 64,
            uploaded_by=world.user("owner"),
        )
        doc.file.save("spec", ContentFile(b"%PDF-1.4\n"), save=True)
    return {"pk": world.application.pk, "document_pk": doc.pk}


# The assigned expert has not signed the pledge in this world: the detail page shows the
# pledge, scoring redirects to it and documents stay closed (404).
ENTRIES.update(
    {
        "panels:review_detail": Entry(
            methods={"GET": row(404, anonymous=302, assigned_expert=200)}, kwargs=_app
        ),
        "panels:review_pledge": Entry(
            methods={
                "GET": row(405, anonymous=302),
                # An empty POST is refused: the pledge box must be ticked.
                "POST": row(404, anonymous=302, assigned_expert=400),
            },
            kwargs=_app,
        ),
        "panels:review_score": Entry(
            methods={
                "GET": row(404, anonymous=302, assigned_expert=302),
                "POST": row(404, anonymous=302, assigned_expert=302),
            },
            kwargs=_app,
        ),
        "panels:review_document": Entry(
            methods={"GET": row(404, anonymous=302)}, kwargs=_app_document
        ),
        # The application is not awaiting consensus: staff may look, nobody may record.
        "panels:consensus": Entry(
            methods={
                "GET": row(404, anonymous=302, officer=200, superuser=200),
                "POST": row(404, anonymous=302),
            },
            kwargs=_app,
        ),
        "panels:expert_mileage": Entry(
            methods={"GET": row(404, anonymous=302, officer=200, superuser=200)}
        ),
        "panels:panel_close": Entry(
            methods={
                "GET": row(405, anonymous=302),
                # An empty form is a bad request for staff; everyone else does not see it.
                "POST": row(404, anonymous=302, officer=400, superuser=400),
            }
        ),
    }
)
