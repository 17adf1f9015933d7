"""Writes of the reports app: the audit trail of reports read."""

from omzien.audit import services as audit
from omzien.reports.impact import ReportRequest


def record_report(acting_user, request: ReportRequest, *, output: str) -> None:
    """Every impact report made for someone is logged with its parameters (for viewers the
    issue requires it; for the other audiences it is the same trail)."""
    audit.record_view(acting_user, "impact report", detail=f"{output} {request.describe()}")
