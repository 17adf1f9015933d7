"""The one way to write the audit log, so every view of personal data leaves a trace."""

from omzien.audit.models import AuditEvent


def record(user, action: str, subject: str, person=None, detail: str = "") -> AuditEvent:
    return AuditEvent.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        subject=subject,
        person=person,
        detail=detail[:255],
    )


def record_view(user, subject: str, person=None, detail: str = "") -> AuditEvent:
    return record(user, AuditEvent.Action.VIEW, subject, person=person, detail=detail)
