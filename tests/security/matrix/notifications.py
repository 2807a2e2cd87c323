"""Each person's own notifications; another person's notice answers 404."""

from . import SIGNED_IN_200, Entry, row


def _owner_notice(world) -> dict:
    from notifications.enums import Event
    from notifications.models import Notification

    notice, _ = Notification.objects.get_or_create(
        idempotency_key="matrix:owner-notice",
        defaults={
            "recipient": world.user("owner"),
            "event": Event.SUBMISSION_RECEIPT,
            "context": {"url": "/applications/"},
        },
    )
    return {"pk": notice.pk}


ENTRIES = {
    "notifications:list": Entry(methods={"GET": SIGNED_IN_200}),
    "notifications:open": Entry(
        methods={
            "GET": row(405, anonymous=302),
            "POST": row(404, anonymous=302, owner=302),
        },
        kwargs=_owner_notice,
    ),
    "notifications:read_all": Entry(
        methods={"GET": row(405, anonymous=302), "POST": row(302)},
    ),
    "notifications:preferences": Entry(methods={"GET": SIGNED_IN_200, "POST": SIGNED_IN_200}),
}
