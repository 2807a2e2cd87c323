"""Forms of expert review: they validate input only."""

from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from applications.models import Round

from .enums import ACTIVE_ASSIGNMENT_STATES
from .models import Committee, ExpertProfile

# --- Assignment, overrides and invitations (assignment work) -----------------------------


class AssignmentLaunchForm(forms.Form):
    round = forms.ModelChoiceField(
        label=_("Round"), queryset=Round.objects.all(), empty_label=_("Choose a round")
    )
    committee = forms.ModelChoiceField(
        label=_("Committee"),
        queryset=Committee.objects.select_related("subfield"),
        required=False,
        empty_label=_("All committees of the round"),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The programme office reads this; the applicant does not."),
    )


class ConflictDeclarationForm(forms.Form):
    KIND_CHOICES = [
        ("conflict", _("I have a conflict of interest with this application")),
        ("recusal", _("I recuse myself from this application for another reason")),
    ]
    kind = forms.ChoiceField(
        label=_("What do you declare?"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Describe it"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("For example: a joint project, a family relation, advice to a competitor."),
    )


class OverrideForm(forms.Form):
    """Manual override in admin: which expert, and why (recorded in the history)."""

    expert = forms.ModelChoiceField(
        label=_("Expert"),
        queryset=ExpertProfile.objects.filter(is_active=True).select_related("user"),
    )
    reason = forms.CharField(
        label=_("Reason for this change"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Recorded in the application's history."),
    )

    def __init__(self, *args, subfield_id=None, round_id=None, application_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = self.fields["expert"].queryset
        if subfield_id:
            qs = qs.filter(subfields=subfield_id)
        if application_id:
            # Experts asked before are never asked again: do not offer them.
            qs = qs.exclude(assignments__application_id=application_id)
        # The load in the round beside each name, so the officer sees who has room.
        qs = qs.annotate(
            round_load=Count(
                "assignments",
                filter=Q(
                    assignments__state__in=ACTIVE_ASSIGNMENT_STATES,
                    assignments__application__round_id=round_id,
                ),
            )
        )
        self.fields["expert"].queryset = qs
        self.fields["expert"].label_from_instance = lambda e: (
            f"{e.user.get_full_name()} · {e.organisation_name}"
            + (f" · {e.department}" if e.department else "")
            + " · "
            + str(_("load %(load)d of %(max)d") % {"load": e.round_load, "max": e.max_load})
        )
