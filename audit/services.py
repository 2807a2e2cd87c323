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
