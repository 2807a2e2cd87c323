"""Forms validate input only; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from panels.models import SubField

from .enums import CertificateState, ObjectionGround
from .models import CatalogueEntry, PilotPurchase


class DateInput(forms.DateInput):
    input_type = "date"


class SuitabilityForm(forms.Form):
    suitable = forms.TypedChoiceField(
        label=_("Is the product suitable for public procurement?"),
        choices=[("yes", _("Suitable")), ("no", _("Not suitable"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes for the officer"), widget=forms.Textarea(attrs={"rows": 4})
    )


class CatalogueEntryForm(forms.ModelForm):
    class Meta:
        model = CatalogueEntry
        fields = [
            "classification_number",
            "product_identification_number",
            "unit_price",
            "supplier_contact",
            "registered_on",
        ]
        widgets = {
            "registered_on": DateInput(),
            "classification_number": forms.TextInput(
                attrs={"inputmode": "numeric", "placeholder": "43211503", "maxlength": 8}
            ),
            "product_identification_number": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        help_texts = {
            "classification_number": _("8 digits (물품분류번호)."),
            "product_identification_number": _("8 to 10 digits (물품식별번호)."),
        }

    def validate_unique(self):
        # The service checks duplicates and answers with its own, clearer message.
        pass


class PilotPurchaseForm(forms.ModelForm):
    class Meta:
        model = PilotPurchase
        fields = ["public_body", "purchased_on", "quantity", "amount", "feedback", "rating"]
        widgets = {
            "purchased_on": DateInput(),
            "feedback": forms.Textarea(attrs={"rows": 3}),
            "rating": forms.Select(choices=[("", "—"), *[(i, str(i)) for i in range(5, 0, -1)]]),
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("certify", _("Certify")), ("reject", _("Do not certify"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reasons the applicant will read"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reasons the applicant will read."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))


class ObjectionDecisionForm(ReasonForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", _("Accept: send back to review by other experts")),
            ("dismiss", _("Dismiss")),
        ],
        widget=forms.RadioSelect,
    )
    field_order = ["decision", "reason"]


class ExtensionDecisionForm(ReasonForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    field_order = ["decision", "reason"]


class ExtensionRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the extension needed?"), widget=forms.Textarea(attrs={"rows": 4})
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ObjectionForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Ground"), choices=ObjectionGround.choices, widget=forms.RadioSelect
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say what was wrong and why it changed the result."),
    )
    documents = MultipleFileField(
        label=_("Supporting documents (PDF, PNG or JPEG)"), required=False
    )


class RegisterSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Product or company"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    subfield = forms.ModelChoiceField(
        label=_("Sub-field"),
        queryset=SubField.objects.filter(is_active=True),
        required=False,
        empty_label=_("All sub-fields"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All"))] + list(CertificateState.choices),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    fast_track = forms.ChoiceField(
        label=_("Fast-track purchase"),
        choices=[("", _("All")), ("yes", _("Eligible")), ("no", _("Not eligible"))],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
