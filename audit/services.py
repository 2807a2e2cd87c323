from applications.rules import is_officer

from .models import AuditEvent


def actor_role_of(user) -> str:
    """The role a person acts in, for the history: officer before other roles."""
    if user is None:
        return "system"
    if is_officer(user):
        return "officer"
    roles = user.roles
    return roles[0] if roles else ""


def audit_record(
    *,
    action: str,
    actor=None,
    application=None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    obj=None,
    data: dict | None = None,
) -> AuditEvent:
    """Append one audit row. Call it inside the transaction of the write it records."""
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_role=actor_role_of(actor),
        application=application,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data or {},
    )


def access_log(*, request, action: str, obj=None, application=None) -> None:
    """Record a read of personal data or a document download (who, when, from where, what).

    Call it from the view that serves the data, after the permission check."""
    from .models import AccessLog

    user = request.user if request.user.is_authenticated else None
    AccessLog.objects.create(
        user=user,
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=(request.META.get("HTTP_USER_AGENT") or "")[:300],
        action=action,
        path=request.get_full_path()[:500],
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        application=application,
    )
