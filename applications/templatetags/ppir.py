from django import template

from applications.enums import STATE_TONE, ApplicationState

register = template.Library()


@register.inclusion_tag("partials/state_badge.html")
def state_badge(state: str):
    """A status badge whose colour and words come from the state, for every page."""
    return {
        "tone": STATE_TONE.get(state, "secondary"),
        "label": ApplicationState(state).label if state in ApplicationState.values else state,
    }
