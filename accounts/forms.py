"""Forms for sign-up and organisations. They validate only; accounts.services writes."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from applications.validators import normalise_business_number, validate_business_number

from .models import Organisation


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    name = forms.CharField(label=_("Your name"), max_length=100)

    field_order = ["name", "email", "password1", "password2"]

    def signup(self, request, user) -> None:
        from .services import user_signed_up

        user_signed_up(
            user=user, name=self.cleaned_data["name"], language=translation.get_language() or ""
        )


class BusinessNumberField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Business registration number (사업자등록번호)"))
        kwargs.setdefault("max_length", 14)
        kwargs.setdefault("help_text", _("10 digits, written like 123-45-67890."))
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value):
        value = super().clean(value)
        validate_business_number(value)
        return normalise_business_number(value)


class OrganisationForm(forms.ModelForm):
    business_number = BusinessNumberField()

    class Meta:
        model = Organisation
        fields = [
            "name",
            "name_en",
            "business_number",
            "is_sme",
            "address",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        labels = {"name": _("Organisation name")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("address", "contact_name", "contact_email", "contact_phone"):
            self.fields[name].required = True

    def clean_business_number(self):
        number = self.cleaned_data["business_number"]
        if Organisation.objects.filter(business_number=number).exists():
            raise ValidationError(
                _(
                    "An organisation with this business registration number is already "
                    "registered. Ask to join it instead."
                ),
                code="brn_taken",
            )
        return number

    def validate_unique(self):
        # clean_business_number already says what to do about a duplicate, in plain words.
        pass


class JoinForm(forms.Form):
    business_number = BusinessNumberField()

    def clean_business_number(self):
        number = self.cleaned_data["business_number"]
        organisation = Organisation.objects.filter(business_number=number).first()
        if organisation is None:
            raise ValidationError(
                _(
                    "No organisation with this business registration number is registered "
                    "yet. You can register it instead."
                ),
                code="brn_unknown",
            )
        self.organisation = organisation
        return number
