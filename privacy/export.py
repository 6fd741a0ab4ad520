"""What a person's data export contains, as plain data, and its ZIP (JSON + readable HTML).

Only the person's own records and their own children's consent: never another child, never
another parent's contact details (a co-guardian appears by name only, as who decided).
"""

import io
import json
import zipfile

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from groups.models import Guardianship, StaffMembership

from . import hooks
from .models import ConsentEvent


def _decider(event, user) -> str:
    if event.on_behalf_of_id:
        return _("the administration for %(guardian)s") % {"guardian": event.on_behalf_of.full_name}
    if event.decided_by_id == user.pk:
        return _("you")
    return event.decided_by.full_name


def collect(user) -> dict:
    guardianships = list(
        Guardianship.objects.filter(guardian=user)
        .select_related("child__group", "child__school")
        .order_by("child__first_name")
    )
    visible_child_ids = [g.child_id for g in guardianships if g.receives_communication]
    events = (
        ConsentEvent.objects.filter(child_id__in=visible_child_ids)
        .select_related("child", "purpose", "decided_by", "on_behalf_of")
        .order_by("child_id", "created_at", "pk")
    )
    memberships = (
        StaffMembership.objects.filter(user=user)
        .select_related("school")
        .prefetch_related("groups")
        .order_by("school__name")
    )
    return {
        "generated_at": timezone.now().isoformat(),
        "profile": {
            "full_name": user.full_name,
            "email": user.email,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "children": [
            {
                "first_name": g.child.first_name,
                "last_name": g.child.last_name,
                "school": g.child.school.name,
                "group": g.child.group.name,
                "school_year": g.child.group.school_year,
                "receives_communication": g.receives_communication,
                "linked_since": g.created_at.isoformat(),
            }
            for g in guardianships
        ],
        "staff_memberships": [
            {
                "school": m.school.name,
                "role": m.role,
                "groups": [group.name for group in m.groups.all()],
                "workdays": m.workdays,
            }
            for m in memberships
        ],
        "consent_history": [
            {
                "child": e.child.full_name,
                "purpose": e.purpose.name,
                "school_year": e.school_year,
                "decision": e.decision,
                "decided_by": _decider(e, user),
                "source": e.source,
                "reason": e.reason,
                "text_version": e.text_version,
                "decided_at": e.created_at.isoformat(),
            }
            for e in events
        ],
        # Messages, absence reports, tagged photos: from the apps that own them.
        "more": hooks.export_sections(user),
    }


def build_zip(user) -> bytes:
    """data.json for machines, index.html for people, both in the person's own language."""
    with translation.override(user.preferred_language):
        data = collect(user)
        html = render_to_string("privacy/export/index.html", {"data": data})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("index.html", html)
    return buffer.getvalue()
