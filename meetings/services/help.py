"""Help requests (hulpouders): staff ask, parents sign up per role, a reminder the day before."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups import selectors as group_selectors

from .. import selectors
from ..formatting import local_text
from ..models import HelpReminder, HelpRequest, HelpRole, HelpSignup
from .notify import notify_after_commit


@transaction.atomic
def help_request_create(
    *, actor, group, title, date, closes_at, roles, description=""
) -> HelpRequest:
    """`roles` is a list of (name, number needed)."""
    if not (
        group_selectors.is_school_leadership(actor, group.school)
        or group_selectors.is_group_staff(actor, group)
    ):
        raise PermissionDenied
    roles = [(name.strip(), needed) for name, needed in roles if name and name.strip()]
    if not roles:
        raise ValidationError({"roles": _("Name at least one role with the number needed.")})
    if any(not isinstance(needed, int) or not 1 <= needed <= 100 for _name, needed in roles):
        raise ValidationError({"roles": _("Each role needs between 1 and 100 people.")})
    day_end = datetime.datetime.combine(
        date + datetime.timedelta(days=1), datetime.time(0), tzinfo=group.school.tz
    )
    if closes_at >= day_end:
        raise ValidationError({"closes_at": _("Sign-up must close before the day is over.")})
    request = HelpRequest(
        school=group.school,
        group=group,
        title=title,
        description=description,
        date=date,
        closes_at=closes_at,
        created_by=actor,
    )
    request.full_clean()
    request.save()
    HelpRole.objects.bulk_create(
        HelpRole(request=request, name=name, needed=needed) for name, needed in roles
    )
    return request


def _check_open(request, now):
    if now >= request.closes_at:
        raise ValidationError(
            _("Sign-up closed on %(when)s.")
            % {"when": local_text(request.closes_at, request.school.tz)}
        )


def help_signup(*, actor, role, now=None) -> HelpSignup:
    """A parent of the group signs up for a role. The role row is locked while counting, so
    two parents can never both take the last place."""
    now = now or timezone.now()
    request = role.request
    if not selectors.is_parent_in_group(actor, request.group):
        raise PermissionDenied
    _check_open(request, now)
    try:
        with transaction.atomic():
            locked = HelpRole.objects.select_for_update().get(pk=role.pk)
            signups = HelpSignup.objects.filter(role=locked)
            if signups.filter(parent=actor).exists():
                raise ValidationError(_("You have already signed up for this role."))
            if signups.count() >= locked.needed:
                raise ValidationError(
                    _("All %(needed)s places for %(role)s are filled. Thank you all the same!")
                    % {"needed": locked.needed, "role": locked.name}
                )
            return HelpSignup.objects.create(role=locked, parent=actor)
    except IntegrityError:
        raise ValidationError(_("You have already signed up for this role.")) from None


@transaction.atomic
def help_withdraw(*, actor, signup, now=None) -> None:
    now = now or timezone.now()
    if signup.parent_id != actor.pk:
        raise PermissionDenied
    _check_open(signup.role.request, now)
    signup.delete()


def help_reminders_send(*, now=None) -> int:
    """E-mail every signed-up parent the day before. Each (request, parent) is claimed with a
    unique row before sending, so a repeated or retried run never sends twice."""
    now = now or timezone.now()
    candidates = HelpRequest.objects.filter(
        date__gte=(now - datetime.timedelta(days=1)).date(),
        date__lte=(now + datetime.timedelta(days=2)).date(),
    ).select_related("school")
    sent = 0
    for request in candidates:
        tomorrow = timezone.localtime(now, request.school.tz).date() + datetime.timedelta(days=1)
        if request.date != tomorrow:
            continue
        signups = HelpSignup.objects.filter(role__request=request).select_related("parent", "role")
        for signup in signups:
            try:
                with transaction.atomic():
                    HelpReminder.objects.create(request=request, parent=signup.parent)
                    notify_after_commit(
                        [signup.parent],
                        gettext_lazy("Reminder: %(title)s tomorrow"),
                        gettext_lazy(
                            "Thank you for helping tomorrow as %(role)s: %(title)s.\n\n"
                            "%(description)s"
                        ),
                        {
                            "title": request.title,
                            "role": signup.role.name,
                            "description": request.description,
                        },
                    )
            except IntegrityError:
                continue  # claimed by an earlier or parallel run, or a second role
            sent += 1
    return sent
