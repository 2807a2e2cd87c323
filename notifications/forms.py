from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role

from .enums import DEADLINE_EVENTS, USER_EVENTS, Event

DEADLINE_HELP = _("This notice carries a deadline, so its e-mail cannot be switched off.")


class PreferencesForm(forms.Form):
    """Two boxes per event type; deadline notices show their e-mail box ticked and locked."""

    def __init__(self, *args, user, current: dict[str, tuple[bool, bool]], digest: bool, **kw):
        super().__init__(*args, **kw)
        self.rows = []
        for event in USER_EVENTS:
            email, in_app = current.get(event, (True, True))
            locked = event in DEADLINE_EVENTS
            self.fields[f"{event}__email"] = forms.BooleanField(
                label=_("E-mail: %(event)s") % {"event": Event(event).label},
                required=False,
                initial=True if locked else email,
                disabled=locked,
                help_text=DEADLINE_HELP if locked else "",
            )
            self.fields[f"{event}__in_app"] = forms.BooleanField(
                label=_("In the notification centre: %(event)s") % {"event": Event(event).label},
                required=False,
                initial=in_app,
            )
            self.rows.append(
                {
                    "label": Event(event).label,
                    "email": self[f"{event}__email"],
                    "in_app": self[f"{event}__in_app"],
                    "locked": locked,
                }
            )
        self.offers_digest = user.has_role(Role.EXPERT)
        if self.offers_digest:
            self.fields["daily_digest"] = forms.BooleanField(
                label=_(
                    "Send me one digest e-mail each morning at 08:00 instead of single e-mails"
                ),
                required=False,
                initial=digest,
            )

    def choices(self) -> dict[str, dict[str, bool]]:
        data = self.cleaned_data
        return {
            event: {"email": data[f"{event}__email"], "in_app": data[f"{event}__in_app"]}
            for event in USER_EVENTS
        }
