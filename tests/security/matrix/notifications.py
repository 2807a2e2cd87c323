"""Each person's own notifications; another person's notice answers 404."""

from . import SIGNED_IN_200, Entry, row


def _owners_notice(world) -> dict:
    from notifications.enums import Event
    from notifications.models import Notification

    owner = world.user("owner")
    notice, _ = Notification.objects.get_or_create(
        idempotency_key=f"matrix:{owner.pk}",
        defaults={"recipient": owner, "event": Event.SUBMISSION_RECEIPT},
    )
    return {"pk": notice.pk}


SIGNED_IN_405 = row(405, anonymous=302)

ENTRIES = {
    "notifications:list": Entry(methods={"GET": SIGNED_IN_200}),
    "notifications:open": Entry(
        methods={"GET": SIGNED_IN_405, "POST": row(404, anonymous=302, owner=302)},
        kwargs=_owners_notice,
    ),
    "notifications:read_all": Entry(methods={"GET": SIGNED_IN_405, "POST": row(302)}),
    "notifications:preferences": Entry(methods={"GET": SIGNED_IN_200, "POST": row(302)}),
}
