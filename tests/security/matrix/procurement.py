"""PPS pages, officers' decisions, applicants' results, and the public register / certificate
check. Objects for the rows are made once per world (world.extra), owned by the world's
applicant organisation so "owner" and "other_applicant" differ."""

from . import EVERYONE_200, Entry, row


def _made(world, key, make):
    if key not in world.extra:
        world.extra[key] = make(world)
    return world.extra[key]


def _app(world, state, **fields):
    from django.utils import timezone

    from tests.factories import ApplicationFactory

    org = world.application.organisation
    n = len(world.extra) + 1
    return ApplicationFactory(
        organisation=org,
        created_by=world.user("owner"),
        round=world.application.round,
        subfield=world.application.subfield,
        state=state,
        reference=f"PPIR-2026-9{n:04d}",
        decided_at=timezone.now() if state in ("certified", "rejected") else None,
        **fields,
    )


def _rejected(world):
    from django.utils import timezone

    return _made(
        world,
        "rejected",
        lambda w: _app(w, "rejected", result_released_at=timezone.now(), decision_reason="x"),
    )


def _certificate(world):
    def make(w):
        import datetime as dt

        from procurement.models import Certificate

        application = _app(w, "certified")
        return Certificate.objects.create(
            number="PPIR-C-2026-9001",
            application=application,
            issued_on=dt.date(2026, 1, 5),
            valid_until=dt.date(2029, 1, 4),
        )

    return _made(world, "certificate", make)


def _suitability(world):
    return _made(world, "suitability", lambda w: _app(w, "suitability_review"))


def _entry(world):
    def make(w):
        import datetime as dt

        from procurement.models import CatalogueEntry

        certificate = _certificate(w)
        return CatalogueEntry.objects.create(
            application=certificate.application,
            certificate=certificate,
            classification_number="43211503",
            product_identification_number="24199001",
            unit_price=1,
            supplier_contact="x",
            registered_on=dt.date(2026, 1, 6),
            registered_by=w.user("pps"),
        )

    return _made(world, "entry", make)


def _objection(world):
    def make(w):
        from django.core.files.base import ContentFile
        from django.utils import timezone

        from procurement.models import Objection, ObjectionDocument

        objection = Objection.objects.create(
            application=_app(w, "objection"),
            ground="misreading",
            explanation="x",
            filed_by=w.user("owner"),
            deadline=timezone.now(),
        )
        ObjectionDocument.objects.create(
            objection=objection,
            file=ContentFile(b"%PDF-1.4\n", name="o.pdf"),
            original_name="o.pdf",
            content_type="application/pdf",
            size=9,
            sha256="0" * 64,
        )
        return objection

    return _made(world, "objection", make)


def _extension(world):
    def make(w):
        from procurement.models import ExtensionRequest

        certificate = _certificate(w)
        return ExtensionRequest.objects.create(
            certificate=certificate,
            ordinal=1,
            reason="x",
            requested_by=w.user("owner"),
            previous_valid_until=certificate.valid_until,
        )

    return _made(world, "extension", make)


STAFF = row(403, anonymous=302, officer=200, pps=200, superuser=200)
OFFICER = row(403, anonymous=302, officer=200, superuser=200)
# Sensitive actions (certify, revoke, export) ask signed-in staff to confirm again first.
OFFICER_SENSITIVE = row(403, anonymous=302, officer=302, superuser=302)
STAFF_SENSITIVE = row(403, anonymous=302, officer=302, pps=302, superuser=302)
OWNER_ONLY = row(404, anonymous=302, owner=200)

ENTRIES = {
    "procurement:dashboard": Entry(methods={"GET": STAFF}),
    "procurement:suitability_queue": Entry(methods={"GET": STAFF}),
    "procurement:suitability_detail": Entry(
        methods={"GET": STAFF}, kwargs=lambda w: {"pk": _suitability(w).pk}
    ),
    "procurement:catalogue_list": Entry(methods={"GET": STAFF}),
    "procurement:catalogue_detail": Entry(
        methods={"GET": STAFF}, kwargs=lambda w: {"pk": _entry(w).pk}
    ),
    "procurement:catalogue_register": Entry(
        methods={"GET": STAFF}, kwargs=lambda w: {"pk": _suitability(w).pk}
    ),
    "procurement:decision_queue": Entry(methods={"GET": OFFICER}),
    "procurement:decision_detail": Entry(
        methods={"GET": OFFICER}, kwargs=lambda w: {"pk": _rejected(w).pk}
    ),
    "procurement:decision_decide": Entry(
        methods={"GET": OFFICER_SENSITIVE, "POST": OFFICER_SENSITIVE},
        kwargs=lambda w: {"pk": _rejected(w).pk},
    ),
    "procurement:result_release": Entry(
        methods={
            "GET": row(403, anonymous=302, officer=405, superuser=405),
            "POST": row(403, anonymous=302, officer=302, superuser=302),
        },
        kwargs=lambda w: {"pk": _rejected(w).pk},
    ),
    "procurement:objection_decide": Entry(
        methods={"GET": OFFICER}, kwargs=lambda w: {"pk": _objection(w).pk}
    ),
    "procurement:objection_document": Entry(
        methods={"GET": OFFICER}, kwargs=lambda w: {"pk": _objection(w).documents.get().pk}
    ),
    "procurement:extension_decide": Entry(
        methods={"GET": OFFICER}, kwargs=lambda w: {"pk": _extension(w).pk}
    ),
    "procurement:certificate_revoke": Entry(
        methods={"GET": OFFICER_SENSITIVE}, kwargs=lambda w: {"pk": _certificate(w).pk}
    ),
    "procurement:certificate_download": Entry(
        methods={"GET": row(404, anonymous=302, owner=200, officer=200, pps=200, superuser=200)},
        kwargs=lambda w: {"pk": _certificate(w).pk},
    ),
    "procurement:extension_request": Entry(
        methods={"GET": OWNER_ONLY}, kwargs=lambda w: {"pk": _certificate(w).pk}
    ),
    "procurement:export_index": Entry(methods={"GET": STAFF}),
    "procurement:export_register": Entry(
        methods={"GET": STAFF_SENSITIVE}, kwargs=lambda w: {"fmt": "csv"}
    ),
    "procurement:export_catalogue": Entry(
        methods={"GET": STAFF_SENSITIVE}, kwargs=lambda w: {"fmt": "xlsx"}
    ),
    "procurement:export_round_results": Entry(
        methods={"GET": STAFF_SENSITIVE},
        kwargs=lambda w: {"pk": w.application.round_id, "fmt": "csv"},
    ),
    "procurement:my_results": Entry(methods={"GET": row(200, anonymous=302)}),
    "procurement:result_detail": Entry(
        methods={"GET": OWNER_ONLY}, kwargs=lambda w: {"pk": _rejected(w).pk}
    ),
    "procurement:objection_file": Entry(
        methods={"GET": OWNER_ONLY, "POST": row(404, anonymous=302, owner=200)},
        kwargs=lambda w: {"pk": _rejected(w).pk},
    ),
    "public:register": Entry(methods={"GET": EVERYONE_200}),
    "public:verify_lookup": Entry(methods={"GET": EVERYONE_200}),
    "public:verify": Entry(
        methods={"GET": row(404)}, kwargs=lambda w: {"number": "PPIR-2026-0001"}
    ),
}
