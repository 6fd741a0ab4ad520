"""Absences' part in privacy's export (registered in AbsencesConfig.ready())."""

from groups import selectors as audience

from .models import AbsenceReport


def export_for_user(user) -> dict:
    """Absence reports about the person's own children, and the ones they made."""
    reports = (
        AbsenceReport.objects.filter(child__in=audience.children_of_guardian(user))
        .select_related("child")
        .order_by("start")
    )
    return {
        "absence_reports": [
            {
                "child": report.child.first_name,
                "kind": report.kind,
                "first_day": report.start.isoformat(),
                "last_day": report.end.isoformat(),
                "part_of_day": report.part,
                "note": report.note,
                "reported_by_you": report.reported_by_id == user.pk,
                "reported_at": report.created_at.isoformat(),
                "withdrawn_at": report.withdrawn_at.isoformat() if report.withdrawn_at else None,
            }
            for report in reports
        ]
    }
