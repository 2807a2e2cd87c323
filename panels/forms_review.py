"""Forms for scoring and consensus. They validate input only; the rules they check are the
services' own (panels.services.review_errors), so the page and the service agree."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import PanelMeetingKind
from .models import Review
from .services import CriterionAnswer, GateAnswer, review_errors

PASS, FAIL = "pass", "fail"


def _style(form: forms.Form) -> None:
    """Bootstrap classes on every widget, so templates only place fields."""
    for f in form.fields.values():
        w = f.widget
        if isinstance(w, forms.RadioSelect | forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(w, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        w.attrs["class"] = css


class PledgeForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I confirm that none of the conflicts of interest listed above applies to me for "
            "this application, and I will keep its content confidential."
        ),
        error_messages={"required": _("Tick the box to sign the pledge.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ReviewForm(forms.Form):
    """Built from the round's rubric: a pass/fail choice and a comment per gate, a score and a
    comment per weighted criterion, and the overall opinion."""

    overall_opinion = forms.CharField(
        label=_("Overall opinion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, gates, criteria, submit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.gates = list(gates)
        self.criteria = list(criteria)
        self.submit = submit
        for g in self.gates:
            self.fields[f"gate_{g.code}"] = forms.ChoiceField(
                label=g.display_label,
                choices=[(PASS, _("Pass")), (FAIL, _("Fail"))],
                widget=forms.RadioSelect,
                required=False,
                help_text=g.guidance,
            )
            self.fields[f"gate_{g.code}_comment"] = forms.CharField(
                label=_("Comment (required if it fails)"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for c in self.criteria:
            bounds = {"max": c.max_score}
            self.fields[f"score_{c.pk}"] = forms.IntegerField(
                label=_("Score (0 to %(max)d)") % bounds,
                required=False,
                min_value=0,
                max_value=c.max_score,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                error_messages={
                    "invalid": _("Enter a whole number from 0 to %(max)d.") % bounds,
                    "min_value": _("The score must be between 0 and %(max)d.") % bounds,
                    "max_value": _("The score must be between 0 and %(max)d.") % bounds,
                },
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
        # Put the opinion last, after the rubric.
        self.order_fields([f for f in self.fields if f != "overall_opinion"] + ["overall_opinion"])
        _style(self)

    @staticmethod
    def initial_from(review: Review | None) -> dict:
        if review is None:
            return {}
        initial = {"overall_opinion": review.overall_opinion}
        for code, answer in (review.gates or {}).items():
            passed = (answer or {}).get("passed")
            initial[f"gate_{code}"] = {True: PASS, False: FAIL}.get(passed, "")
            initial[f"gate_{code}_comment"] = (answer or {}).get("comment", "")
        for s in review.scores.all():
            initial[f"score_{s.criterion_id}"] = s.score
            initial[f"comment_{s.criterion_id}"] = s.comment
        return initial

    def gate_answers(self) -> dict[str, GateAnswer]:
        data = self.cleaned_data
        return {
            g.code: GateAnswer(
                passed={PASS: True, FAIL: False}.get(data.get(f"gate_{g.code}") or ""),
                comment=data.get(f"gate_{g.code}_comment") or "",
            )
            for g in self.gates
        }

    def answers(self) -> dict[int, CriterionAnswer]:
        data = self.cleaned_data
        return {
            c.pk: CriterionAnswer(
                score=data.get(f"score_{c.pk}"), comment=data.get(f"comment_{c.pk}") or ""
            )
            for c in self.criteria
        }

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        errors = review_errors(
            gates=self.gates,
            criteria=self.criteria,
            gate_answers=self.gate_answers(),
            answers=self.answers(),
            overall_opinion=cleaned.get("overall_opinion") or "",
            submit=self.submit,
        )
        for name, message in errors.items():
            self.add_error(name, message)
        return cleaned

    def error_summary(self) -> list[dict]:
        """Each error with the field's id and the rubric item it belongs to, for the list
        of links at the top of the page."""
        sections = {"overall_opinion": str(self.fields["overall_opinion"].label)}
        for g in self.gates:
            sections[f"gate_{g.code}"] = g.display_label
            sections[f"gate_{g.code}_comment"] = g.display_label
        for c in self.criteria:
            sections[f"score_{c.pk}"] = c.display_label
            sections[f"comment_{c.pk}"] = c.display_label
        summary = []
        for name, errors in self.errors.items():
            if name == "__all__":
                continue
            field_id = self[name].auto_id
            if name.startswith("gate_") and not name.endswith("_comment"):
                field_id += "_0"  # the first radio button of the group
            summary.append(
                {"id": field_id, "section": sections.get(name, ""), "message": " ".join(errors)}
            )
        return summary

    # Rows for the template, which computes nothing.
    def gate_rows(self) -> list[dict]:
        return [
            {"gate": g, "choice": self[f"gate_{g.code}"], "comment": self[f"gate_{g.code}_comment"]}
            for g in self.gates
        ]

    def criterion_rows(self) -> list[dict]:
        return [
            {"criterion": c, "score": self[f"score_{c.pk}"], "comment": self[f"comment_{c.pk}"]}
            for c in self.criteria
        ]


class ConsensusForm(forms.Form):
    score = forms.DecimalField(
        label=_("Consensus score (0 to 100)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": _("Enter the consensus score as a number from 0 to 100."),
            "required": _("Enter the consensus score."),
            "min_value": _("The consensus score must be between 0 and 100."),
            "max_value": _("The consensus score must be between 0 and 100."),
            "max_decimal_places": _("Use at most 2 decimal places."),
            "max_digits": _("The consensus score must be between 0 and 100."),
        },
    )
    recommended = forms.TypedChoiceField(
        label=_("Recommendation"),
        choices=[("yes", _("Recommended")), ("no", _("Not recommended"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose recommended or not recommended.")},
    )
    opinion = forms.CharField(
        label=_("Consensus opinion"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the panel's consensus opinion.")},
    )
    meeting_kind = forms.ChoiceField(
        label=_("Interview or site visit"),
        choices=[("", _("None"))] + list(PanelMeetingKind.choices),
        required=False,
    )
    meeting_date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2026-03-15.")},
    )
    meeting_notes = forms.CharField(
        label=_("Interview or site visit notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("meeting_kind") and not cleaned.get("meeting_date"):
            self.add_error("meeting_date", _("Give the date of the interview or site visit."))
        return cleaned


class PanelCloseForm(forms.Form):
    """Programme staff close a round's panel: one committee, or every committee."""

    round = forms.ModelChoiceField(
        label=_("Round"),
        queryset=None,
        empty_label=_("Choose a round"),
        error_messages={"required": _("Choose the round.")},
    )
    committee = forms.ModelChoiceField(
        label=_("Committee"),
        queryset=None,
        required=False,
        empty_label=_("All committees"),
    )

    def __init__(self, *args, **kwargs):
        from applications.models import Round

        from .models import Committee

        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = Round.objects.order_by("-opens_at")
        self.fields["committee"].queryset = Committee.objects.select_related("subfield")
        _style(self)
