"""Applicant and screening pages. Another organisation's application, draft or document
answers 404; a page for another role answers 403."""

from . import Entry, row

OWNER_ONLY = row(404, anonymous=302, owner=200)
OWNER_REDIRECTED = row(404, anonymous=302, owner=302)
POST_ONLY = row(405, anonymous=302)


def _cached(world, key, make):
    if key not in world.extra:
        world.extra[key] = make(world)
    return world.extra[key]


def _own_draft(w):
    """A second, incomplete draft of the owner's organisation, for the rows that write, so
    that the world's application stays as the other apps' rows expect it."""

    def make(w):
        from tests.factories import ApplicationFactory

        return ApplicationFactory(
            organisation=w.application.organisation, created_by=w.application.created_by
        )

    return _cached(w, "own-draft", make)


def _document(key):
    def make(w):
        from tests.factories.applicant import DocumentFactory

        return DocumentFactory(application=_own_draft(w))

    return lambda w: _cached(w, key, make)


def _project(linked: bool):
    def make(w):
        from tests.factories import RDProjectFactory

        project = RDProjectFactory()
        if linked:
            _own_draft(w).rd_projects.add(project)
        return project

    return lambda w: _cached(w, f"project-{linked}", make)


def _unsuitable(w):
    from panels.models import UnsuitableExpertRequest

    return _cached(
        w,
        "unsuitable",
        lambda w: UnsuitableExpertRequest.objects.create(
            application=_own_draft(w),
            expert_name="홍길동",
            expert_organisation="연구원",
            reason="x",
        ),
    )


def _app(w):
    return {"pk": w.application.pk}


def _draft(w):
    return {"pk": _own_draft(w).pk}


ENTRIES = {
    "applications:list": Entry(
        methods={"GET": row(403, anonymous=302, owner=200, other_applicant=200)}
    ),
    "applications:new": Entry(
        methods={"GET": row(403, anonymous=302, owner=200, other_applicant=200)}
    ),
    "applications:detail": Entry(
        # POST is the supplement answer: only the owner, and only while a supplement is open
        # (this draft has none), so every POST finds nothing to answer.
        methods={"GET": OWNER_ONLY, "POST": row(404, anonymous=302)},
        kwargs=_app,
        data=lambda w: {"message": "answer", "doc-TOTAL_FORMS": "0", "doc-INITIAL_FORMS": "0"},
    ),
    "applications:resume": Entry(methods={"GET": OWNER_REDIRECTED}, kwargs=_app),
    "applications:step": Entry(
        methods={"GET": OWNER_ONLY}, kwargs=lambda w: {"pk": w.application.pk, "step": "product"}
    ),
    "applications:project_search": Entry(
        methods={"GET": OWNER_ONLY}, kwargs=_app, query="?q=RS-2023"
    ),
    "applications:project_link": Entry(
        methods={"GET": POST_ONLY, "POST": OWNER_REDIRECTED},
        kwargs=lambda w: {"pk": _own_draft(w).pk, "project_pk": _project(False)(w).pk},
    ),
    "applications:project_unlink": Entry(
        methods={"GET": POST_ONLY, "POST": OWNER_REDIRECTED},
        kwargs=lambda w: {"pk": _own_draft(w).pk, "project_pk": _project(True)(w).pk},
    ),
    "applications:document_delete": Entry(
        methods={"GET": POST_ONLY, "POST": OWNER_REDIRECTED},
        kwargs=lambda w: {"pk": _own_draft(w).pk, "doc_pk": _document("doc-delete")(w).pk},
    ),
    "applications:document_download": Entry(
        methods={"GET": OWNER_ONLY},
        kwargs=lambda w: {"doc_pk": _document("doc-download")(w).pk},
        note="programme staff get documents of submitted applications only; this one is a draft",
    ),
    "applications:expert_remove": Entry(
        methods={"GET": POST_ONLY, "POST": OWNER_REDIRECTED},
        kwargs=lambda w: {"pk": _own_draft(w).pk, "expert_pk": _unsuitable(w).pk},
    ),
    "applications:review": Entry(methods={"GET": OWNER_ONLY}, kwargs=_app),
    "applications:submit": Entry(
        methods={"GET": POST_ONLY, "POST": OWNER_REDIRECTED},
        kwargs=_draft,
        note="the owner's incomplete draft is sent back to the review page with the reasons",
    ),
    "applications:receipt": Entry(methods={"GET": OWNER_REDIRECTED}, kwargs=_app),
    "applications:withdraw": Entry(
        methods={"GET": OWNER_ONLY, "POST": row(404, anonymous=302, owner=200)},
        kwargs=_app,
        note="the owner's POST without the confirmation box comes back with the form",
    ),
    "applications:version_diff": Entry(methods={"GET": OWNER_REDIRECTED}, kwargs=_app),
    "applications:screening_queue": Entry(
        methods={"GET": row(403, anonymous=302, officer=200, superuser=200)}
    ),
    "applications:screening_detail": Entry(
        methods={
            "GET": row(403, anonymous=302, officer=404, superuser=404),
            "POST": row(403, anonymous=302, officer=404, superuser=404),
        },
        data=lambda w: {"action": "eligible"},
        kwargs=_app,
        note="staff do not see drafts",
    ),
}
