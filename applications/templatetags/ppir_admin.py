"""Template tags for the officers' admin pages."""

from django import template
from django.urls import reverse

from applications import selectors
from applications.admin import state_badge_html
from applications.enums import ApplicationState, RoundState

register = template.Library()


@register.inclusion_tag("admin/ppir/work_panel.html", takes_context=True)
def officer_work_panel(context):
    """Applications per state for the open and recently closed rounds, each count linking
    to the changelist filtered by round and state."""
    request = context.get("request")
    if request is None or not request.user.has_perm("applications.view_application"):
        return {"rounds": []}
    rounds, counts = selectors.rounds_work_panel()
    changelist = reverse("admin:applications_application_changelist")
    columns = [
        {
            "code": r.code,
            "state": r.state_at(),
            "state_label": RoundState(r.state_at()).label,
            "url": f"{changelist}?round__id__exact={r.pk}",
            "total": sum(n for (rid, _state), n in counts.items() if rid == r.pk),
        }
        for r in rounds
    ]
    rows = [
        {
            "badge": state_badge_html(state),
            "cells": [
                {
                    "count": counts.get((r.pk, state), 0),
                    "url": f"{changelist}?round__id__exact={r.pk}&state__exact={state}",
                }
                for r in rounds
            ],
        }
        for state in ApplicationState.values
    ]
    return {"rounds": columns, "rows": rows}
