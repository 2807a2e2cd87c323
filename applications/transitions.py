"""Which service carries out each transition of an application, and how admin offers it.

The admin buttons and bulk actions look a transition up here by its name and call the
service it points to as `service(application=..., by=..., **fixed)`, adding
`<text_arg>=<the officer's text>` when `text_arg` is set (usually "reason" or "comment").

To repoint a transition, change its `service` line (and `text_arg`/`fixed` if the new service
names its arguments differently). A service that does not take `application=` (one that
takes, say, an objection) needs a small adapter function with this calling convention.
tests/applications/test_transitions.py checks that every entry imports and that its service
takes exactly the keyword arguments named here."""

from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class TransitionAction:
    service: str  # dotted path of the service function
    label: Promise | str
    confirm: Promise | str
    # The keyword the service takes for the officer's text, if any. With it, admin shows a
    # small form first; `text_required` makes the text mandatory there.
    text_arg: str | None = None
    text_required: bool = False
    # The label of that text box, when "Reason" or "Comment" says too little.
    text_label: Promise | str = ""
    # Ask for the password or second factor again (ppir.security.sensitive_action).
    sensitive: bool = False
    # Offered as a bulk action on the changelist (only for transitions without required text).
    bulk: bool = False
    # Button colour in admin: "default", "positive" or "negative".
    tone: Literal["default", "positive", "negative"] = "default"
    # Further keyword arguments passed to the service as they are, e.g. {"suitable": True}.
    fixed: dict[str, Any] = field(default_factory=dict)

    def resolve(self):
        return import_string(self.service)

    def run(self, *, application, by, text: str = ""):
        """Call the service with the keyword arguments it expects."""
        kwargs = {"application": application, "by": by}
        if self.text_arg:
            kwargs[self.text_arg] = text
        return self.resolve()(**kwargs, **self.fixed)


_S = "applications.services."
# The decision, suitability and objection services live with the procurement stage: they
# also issue the certificate, keep the PPS review and the objection record, and notify.
_P = "procurement.services."

TRANSITIONS: dict[str, TransitionAction] = {
    "submit": TransitionAction(
        service=_S + "application_submit",
        label=_("Submit"),
        confirm=_("Submit this application? It can no longer be edited afterwards."),
        tone="positive",
    ),
    "request_supplement": TransitionAction(
        service=_S + "application_request_supplement",
        label=_("Request a supplement"),
        confirm=_("The applicant will be asked to supplement the application."),
        text_arg="reason",
        text_label=_("What the applicant must supplement"),
        text_required=True,
    ),
    "answer_supplement": TransitionAction(
        service=_S + "application_answer_supplement",
        label=_("Send the supplement"),
        confirm=_("Send the supplement back for screening?"),
        text_arg="comment",
        text_label=_("Message to the officer"),
    ),
    "mark_eligible": TransitionAction(
        service=_S + "application_mark_eligible",
        label=_("Mark eligible"),
        confirm=_("Mark this application eligible and send it to expert review?"),
        bulk=True,
        tone="positive",
    ),
    "mark_ineligible": TransitionAction(
        service=_S + "application_mark_ineligible",
        label=_("Mark ineligible"),
        confirm=_("Mark this application ineligible? The applicant reads the reason you give."),
        text_arg="reason",
        text_label=_("Reason (the applicant reads it)"),
        text_required=True,
        tone="negative",
    ),
    "open_consensus": TransitionAction(
        service=_S + "application_open_consensus",
        label=_("Open panel consensus"),
        confirm=_("Close expert review and ask the committee chair for the consensus?"),
        bulk=True,
    ),
    "recommend": TransitionAction(
        service=_S + "application_recommend",
        label=_("Record: recommended"),
        confirm=_("Record the panel's recommendation and send the application to PPS?"),
        text_arg="comment",
        tone="positive",
    ),
    "not_recommend": TransitionAction(
        service=_S + "application_not_recommend",
        label=_("Record: not recommended"),
        confirm=_("Record that the panel does not recommend this application?"),
        text_arg="comment",
        tone="negative",
    ),
    # PPS staff record "not suitable" on their own page (/procurement/suitability/); the
    # admin button records a suitable review with the notes written here.
    "record_suitability": TransitionAction(
        service=_P + "suitability_record",
        label=_("Record PPS suitability review: suitable"),
        confirm=_("Record that PPS found the product suitable for public procurement?"),
        text_arg="notes",
        text_required=True,
        text_label=_("Notes for the officer"),
        fixed={"suitable": True},
    ),
    "certify": TransitionAction(
        service=_P + "application_certify",
        label=_("Certify"),
        confirm=_("Designate this product as an innovative product?"),
        text_arg="reason",
        text_label=_("Reasons for the designation"),
        sensitive=True,
        tone="positive",
    ),
    "reject": TransitionAction(
        service=_P + "application_reject",
        label=_("Do not certify"),
        confirm=_("Decide not to certify this product? The applicant reads the reasons you give."),
        text_arg="reason",
        text_label=_("Reasons (the applicant reads them)"),
        text_required=True,
        tone="negative",
    ),
    "file_objection": TransitionAction(
        service=_S + "application_file_objection",
        label=_("File an objection"),
        confirm=_("File an objection against this result?"),
        text_arg="reason",
        text_label=_("Grounds of the objection"),
        text_required=True,
    ),
    "accept_objection": TransitionAction(
        service=_P + "application_accept_objection",
        label=_("Uphold the objection"),
        confirm=_("Uphold the objection and send the application back to expert review?"),
        text_arg="reason",
        text_label=_("Reasons (the applicant reads them)"),
        text_required=True,
        tone="positive",
    ),
    "dismiss_objection": TransitionAction(
        service=_P + "application_dismiss_objection",
        label=_("Dismiss the objection"),
        confirm=_("Dismiss the objection? The applicant reads the reasons you give."),
        text_arg="reason",
        text_label=_("Reasons (the applicant reads them)"),
        text_required=True,
        tone="negative",
    ),
    "withdraw": TransitionAction(
        service=_S + "application_withdraw",
        label=_("Withdraw"),
        confirm=_("Withdraw this application? This cannot be undone."),
        text_arg="reason",
        tone="negative",
    ),
}


def get_action(name: str) -> TransitionAction | None:
    return TRANSITIONS.get(name)


def available_actions(application, user) -> list[tuple[str, TransitionAction]]:
    """The transitions this user may take from the application's current state, in the
    registry's order; a transition without a registry entry is never offered."""
    names = {t.name for t in application.get_available_user_state_transitions(user)}
    return [(name, action) for name, action in TRANSITIONS.items() if name in names]
