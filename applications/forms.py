"""Forms validate input only; services do the writing. Every message is shown beside its
field, and a form re-rendered after an error keeps what was entered."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from panels.models import SubField

from .enums import SCREENING_STATES, ApplicationState, DocumentKind
from .models import Application, RDProject, Round
from .uploads import validate_upload
from .validators import validate_ntis_number


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProductForm(forms.ModelForm):
    trl = forms.TypedChoiceField(
        label=_("Technology readiness level (TRL)"),
        choices=[("", _("Choose a level"))] + [(i, str(i)) for i in range(1, 10)],
        coerce=int,
        help_text=_("1 = basic principles observed … 9 = proven in operational use."),
    )

    class Meta:
        model = Application
        fields = [
            "product_name",
            "product_name_en",
            "product_description",
            "trl",
            "intended_buyers",
            "intended_use",
            "indicative_price",
        ]
        widgets = {
            "product_description": forms.Textarea(attrs={"rows": 4}),
            "intended_buyers": forms.Textarea(attrs={"rows": 2}),
            "intended_use": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "intended_buyers": _("Which public bodies would buy it, e.g. local governments."),
            "indicative_price": _("Price per unit in Korean won, without commas."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("product_description", "intended_buyers", "intended_use"):
            self.fields[name].required = True


class RoundForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["round", "subfield"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any round validates (so a closed one gets a clear message), but only open rounds
        # and the draft's current one are offered.
        self.fields["round"].queryset = Round.objects.order_by("closes_at")
        now = timezone.now()
        offered = Round.objects.filter(
            Q(opens_at__lte=now, closes_at__gt=now) | Q(pk=self.instance.round_id)
        ).order_by("closes_at")
        self.fields["round"].widget.choices = [(r.pk, self._round_label(r)) for r in offered]
        self.fields["subfield"].queryset = SubField.objects.filter(is_active=True).order_by(
            "number"
        )
        self.fields["subfield"].required = True
        self.fields["subfield"].empty_label = _("Choose one of the 24 sub-fields")

    @staticmethod
    def _round_label(obj: Round) -> str:
        closes = timezone.localtime(obj.closes_at).strftime("%Y-%m-%d %H:%M")
        return str(
            _("%(title)s (deadline %(closes)s Korea time)")
            % {"title": obj.display_title, "closes": closes}
        )

    def clean_round(self):
        round_obj = self.cleaned_data["round"]
        if not round_obj.is_open:
            closes = timezone.localtime(round_obj.closes_at).strftime("%Y-%m-%d %H:%M")
            raise ValidationError(
                _("This round is not open for applications (deadline %(closes)s Korea time).")
                % {"closes": closes},
                code="round_closed",
            )
        return round_obj

    def clean(self):
        data = super().clean()
        round_obj, subfield = data.get("round"), data.get("subfield")
        if round_obj and subfield:
            covered = list(round_obj.subfields.all())
            if covered and subfield not in covered:
                self.add_error("subfield", _("This round does not cover the sub-field you chose."))
        return data


class ProjectLinkForm(forms.Form):
    ntis_number = forms.CharField(
        label=_("NTIS project number"),
        max_length=20,
        help_text=_("10 digits (e.g. 1711123456) or the form RS-2024-12345678."),
    )

    def clean_ntis_number(self):
        value = self.cleaned_data["ntis_number"].strip().upper()
        validate_ntis_number(value)
        project = RDProject.objects.filter(ntis_number=value).first()
        if project is None:
            raise ValidationError(
                _("No R&D project with the number %(number)s was found in the NTIS records.")
                % {"number": value},
                code="ntis_unknown",
            )
        self.project = project
        return value


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of document"),
        choices=[(k, label) for k, label in DocumentKind.choices if k != DocumentKind.SUPPLEMENT],
    )
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, PNG or JPEG, up to 20 MB."), allow_empty_file=True
    )
    issue_date = forms.DateField(label=_("Issue date"), widget=DateInput())
    expiry_date = forms.DateField(
        label=_("Expiry date"),
        widget=DateInput(),
        required=False,
        help_text=_("Only for documents that expire, such as certifications."),
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = kinds
        self.fields["file"].widget.attrs["accept"] = ".pdf,.png,.jpg,.jpeg"

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded:
            self.checked = validate_upload(uploaded)
        return uploaded

    def clean_issue_date(self):
        issued = self.cleaned_data["issue_date"]
        if issued and issued > timezone.localdate():
            raise ValidationError(_("The issue date cannot be in the future."), code="future")
        return issued

    def clean(self):
        data = super().clean()
        issued, expires = data.get("issue_date"), data.get("expiry_date")
        if issued and expires and expires < issued:
            self.add_error(
                "expiry_date",
                ValidationError(
                    _("The expiry date cannot be before the issue date."), code="date_order"
                ),
            )
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "title": d["title"],
            "uploaded": d["file"],
            "checked": self.checked,
            "issue_date": d["issue_date"],
            "expiry_date": d.get("expiry_date"),
        }


class DeclarationsForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["declared_not_designated", "declared_truthful"]
        labels = {
            "declared_not_designated": _(
                "I declare that this product has not been designated as an innovative product "
                "before, under any track."
            ),
            "declared_truthful": _(
                "I declare that the information and documents in this application are true."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["declared_truthful"].required = True
        self.fields["declared_truthful"].error_messages["required"] = _(
            "You must confirm that the information is true to continue."
        )


class UnsuitableExpertForm(forms.Form):
    expert_name = forms.CharField(label=_("Expert's name"), max_length=100)
    expert_organisation = forms.CharField(label=_("Expert's organisation"), max_length=200)
    reason = forms.CharField(
        label=_("Why you consider this expert unsuitable"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class SupplementAnswerForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the officer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    replaces = forms.TypedMultipleChoiceField(
        label=_("Documents your answer replaces (optional)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick a document that a new one below replaces, such as an expired certificate. "
            "It stays in the history but no longer counts in the eligibility check."
        ),
    )

    def __init__(self, *args, documents=(), **kwargs):
        """`documents`: the application's current documents (already loaded: no query)."""
        super().__init__(*args, **kwargs)
        self._documents = {d.pk: d for d in documents}
        self.fields["replaces"].choices = [
            (d.pk, f"{d.get_kind_display()} · {d.original_name}") for d in documents
        ]
        if not documents:
            del self.fields["replaces"]

    def replaced_documents(self) -> list:
        return [self._documents[pk] for pk in self.cleaned_data.get("replaces", [])]


class SupplementDocumentForm(DocumentForm):
    """A document in a supplement answer: every field optional until a file is chosen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def clean(self):
        data = super().clean()
        if data.get("file") and not data.get("issue_date") and "issue_date" not in self.errors:
            self.add_error("issue_date", _("Give the document's issue date."))
        return data


SupplementDocumentFormSet = forms.formset_factory(SupplementDocumentForm, extra=2, max_num=5)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    confirm = forms.BooleanField(
        label=_("I understand that a withdrawn application cannot be reopened."),
        error_messages={"required": _("Tick the box to confirm the withdrawal.")},
    )


# Officer screening.


class ScreeningFilterForm(forms.Form):
    round = forms.ModelChoiceField(
        label=_("Round"), queryset=Round.objects.order_by("-opens_at"), required=False
    )
    subfield = forms.ModelChoiceField(
        label=_("Sub-field"), queryset=SubField.objects.order_by("number"), required=False
    )
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All in screening"))]
        + [(s, ApplicationState(s).label) for s in SCREENING_STATES],
    )
    flagged = forms.BooleanField(label=_("Only with open flags"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue supplements"), required=False)


class SupplementRequestForm(forms.Form):
    message = forms.CharField(
        label=_("What the applicant must supply"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    documents_wanted = forms.MultipleChoiceField(
        label=_("Documents wanted"),
        choices=DocumentKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(label=_("Answer by (18:00 Korea time)"), widget=DateInput())

    def clean_deadline(self):
        day = self.cleaned_data["deadline"]
        if day <= timezone.localdate():
            raise ValidationError(_("The deadline must be after today."), code="past")
        return timezone.make_aware(dt.datetime.combine(day, dt.time(18, 0)))


class EligibleForm(forms.Form):
    comment = forms.CharField(
        label=_("Note for the record (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class IneligibleForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason the applicant will read"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class CorrectionForm(forms.Form):
    """An officer's correction of submitted particulars; starts from the submitted values."""

    product_name = forms.CharField(label=_("Product name"), max_length=200)
    product_name_en = forms.CharField(
        label=_("Product name in English"), max_length=200, required=False
    )
    trl = forms.TypedChoiceField(
        label=_("Technology readiness level (TRL)"),
        choices=[(i, str(i)) for i in range(1, 10)],
        coerce=int,
    )
    indicative_price = forms.IntegerField(
        label=_("Indicative price (KRW)"), min_value=0, required=False
    )
    subfield = forms.ModelChoiceField(
        label=_("Sub-field"), queryset=SubField.objects.filter(is_active=True).order_by("number")
    )
    reason = forms.CharField(
        label=_("Reason (the applicant reads it in the history)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    # The version the page showed: a correction made meanwhile by someone else is not undone.
    read_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, application, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "product_name": application.product_name,
                "product_name_en": application.product_name_en,
                "trl": application.trl,
                "indicative_price": application.indicative_price,
                "subfield": application.subfield_id,
                "read_version": application.version,
            },
        )
        super().__init__(*args, **kwargs)
        # Only the sub-fields the round covers (a round that names none covers all).
        covered = SubField.objects.filter(rounds=application.round_id)
        self.fields["subfield"].queryset = SubField.objects.filter(
            Q(pk__in=covered) | (Q(is_active=True) & ~Exists(covered))
        ).order_by("number")

    def changes(self) -> dict:
        """The particulars the officer changed on the page, nothing else."""
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name not in ("reason", "read_version")
        }


class OverrideForm(forms.Form):
    rule = forms.CharField(widget=forms.HiddenInput)
    passed = forms.TypedChoiceField(
        label=_("Your verdict"),
        choices=[("1", _("Meets the rule")), ("0", _("Does not meet the rule"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(
        label=_("Reason (kept in the history)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
