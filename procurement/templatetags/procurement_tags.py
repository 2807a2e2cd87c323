from django import template

from ..enums import CERTIFICATE_TONE, CertificateState

register = template.Library()


@register.inclusion_tag("partials/state_badge.html")
def certificate_badge(certificate):
    """The certificate's status today (Korean date): an ended validity shows as expired even
    before the nightly task has moved its state."""
    status = certificate.status
    return {"tone": CERTIFICATE_TONE[status], "label": CertificateState(status).label}


@register.simple_tag(takes_context=True)
def can(context, predicate_name: str, obj=None) -> bool:
    from .. import rules

    return getattr(rules, predicate_name).test(context["request"].user, obj)


@register.filter
def org_name(organisation) -> str:
    """The organisation's name in the page's language (its English name when there is one)."""
    from django.utils.translation import get_language

    if (get_language() or "ko").startswith("en") and organisation.name_en:
        return organisation.name_en
    return organisation.name
