"""Officers' access to the outbox in admin; people reach their own notices by being their
recipient (the selectors filter by it)."""

import rules

from applications.rules import is_officer, is_programme_staff

rules.add_perm("notifications.view_notification", is_programme_staff)
rules.add_perm("notifications.view_notificationpreference", is_programme_staff)
rules.add_perm("notifications.view_programmeeventswitch", is_programme_staff)
rules.add_perm("notifications.add_programmeeventswitch", is_officer)
rules.add_perm("notifications.change_programmeeventswitch", is_officer)
