"""Agenda items and the parents' private calendar subscription tokens."""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction

from groups import selectors as group_selectors

from .. import selectors
from ..models import AgendaItem, AgendaToken


@transaction.atomic
def agenda_item_create(
    *, actor, school, title, date, kind, group=None, end_date=None, description=""
) -> AgendaItem:
    """Group staff add items for their group; direction and administration for the school."""
    leader = group_selectors.is_school_leadership(actor, school)
    if group is None and not leader:
        raise PermissionDenied
    if group is not None and not (
        group.school_id == school.pk and (leader or group_selectors.is_group_staff(actor, group))
    ):
        raise PermissionDenied
    item = AgendaItem(
        school=school,
        group=group,
        title=title,
        date=date,
        end_date=end_date,
        kind=kind,
        description=description,
        created_by=actor,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_token_issue(*, actor) -> str:
    """A new private subscription token; the previous link stops working. Only the hash is
    stored, so the raw token is shown to the person this once."""
    raw = secrets.token_urlsafe(32)
    AgendaToken.objects.update_or_create(
        user=actor, defaults={"key_hash": selectors.token_hash(raw)}
    )
    return raw


@transaction.atomic
def agenda_token_revoke(*, actor) -> None:
    AgendaToken.objects.filter(user=actor).delete()
