"""The invitation life cycle: create, deliver, resend, revoke, accept. The only writes here."""

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from groups import selectors as group_selectors
from groups import services as group_services
from groups.models import Child, Guardianship, School, StaffMembership

from . import selectors
from .classlist import Plan, plan_class_list
from .models import Invitation, hash_token

User = get_user_model()


class InvitationUnusable(Exception):
    """The link is used, expired, revoked or was never valid. The page says what to do."""


def _new_token_hash() -> tuple[str, str]:
    # 32 bytes = 256 bits of randomness; only the hash is stored.
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    return email


def _expiry(school) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=school.invitation_valid_days)


def _schedule_delivery(invitation, base_url):
    from .tasks import deliver_invitation

    transaction.on_commit(lambda: deliver_invitation.delay(invitation.pk, base_url))


def _reopen(invitation, *, actor, base_url) -> Invitation:
    """Give an open (or expired) invitation a new link; the old link stops working now."""
    _token, invitation.token_hash = _new_token_hash()
    invitation.delivery_pending = True
    invitation.expires_at = _expiry(invitation.school)
    invitation.sent_at = timezone.now()
    invitation.invited_by = actor
    invitation.save(
        update_fields=["token_hash", "delivery_pending", "expires_at", "sent_at", "invited_by"]
    )
    _schedule_delivery(invitation, base_url)
    return invitation


@transaction.atomic
def invitation_create(
    *, actor, email, base_url, child=None, school=None, role="", groups=(), language=None
) -> Invitation:
    """Invite a guardian for a child, or (without child) a staff member for a role and groups.

    Inviting the same person for the same child again gives the open invitation a new link.
    """
    email = _clean_email(email)
    if child is not None:
        if not selectors.may_invite_guardian(actor, child):
            raise PermissionDenied
        school = child.school
        if Guardianship.objects.filter(child=child, guardian__email__iexact=email).exists():
            raise ValidationError(
                {
                    "email": _("This person is already a guardian of %(child)s.")
                    % {"child": child.first_name}
                }
            )
        existing = (
            Invitation.objects.select_for_update()
            .filter(child=child, email=email, state=Invitation.State.SENT)
            .first()
        )
        kind = Invitation.Kind.GUARDIAN
        role = ""
        groups = []
    else:
        if school is None or not group_selectors.is_school_administration(actor, school):
            raise PermissionDenied
        if role not in StaffMembership.Role.values:
            raise ValidationError({"role": _("Choose one of the offered roles.")})
        groups = list(groups) if role in StaffMembership.GROUP_ROLES else []
        if any(group.school_id != school.pk for group in groups):
            raise ValidationError(
                {"groups": _("Every group must belong to %(school)s.") % {"school": school.name}}
            )
        existing = (
            Invitation.objects.select_for_update()
            .filter(school=school, email=email, kind=Invitation.Kind.STAFF, state="sent")
            .first()
        )
        kind = Invitation.Kind.STAFF
    if existing is not None:
        if kind == Invitation.Kind.STAFF:
            existing.role = role
            existing.save(update_fields=["role"])
            existing.groups.set(groups)
        return _reopen(existing, actor=actor, base_url=base_url)

    account = User.objects.filter(email__iexact=email).first()
    _token, token_hash = _new_token_hash()
    invitation = Invitation.objects.create(
        school=school,
        kind=kind,
        child=child,
        role=role,
        email=email,
        language=account.preferred_language if account else (language or "nl"),
        token_hash=token_hash,
        expires_at=_expiry(school),
        sent_at=timezone.now(),
        invited_by=actor,
    )
    if groups:
        invitation.groups.set(groups)
    _schedule_delivery(invitation, base_url)
    return invitation


def _check_manage(actor, invitation):
    if actor is None or not (
        actor.is_superuser
        or group_selectors.is_school_administration(actor, invitation.school)
        or (invitation.child and selectors.may_invite_guardian(actor, invitation.child))
    ):
        raise PermissionDenied


@transaction.atomic
def invitation_resend(*, actor, invitation, base_url) -> Invitation:
    """A new link for an invitation that was not used; the previous link dies."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_manage(actor, invitation)
    if invitation.state != Invitation.State.SENT:
        raise ValidationError(_("Only an invitation that was not used can be sent again."))
    return _reopen(invitation, actor=actor, base_url=base_url)


@transaction.atomic
def invitation_revoke(*, actor, invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_manage(actor, invitation)
    if invitation.state != Invitation.State.SENT:
        raise ValidationError(_("Only an invitation that was not used can be revoked."))
    invitation.state = Invitation.State.REVOKED
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["state", "revoked_at"])
    return invitation


def invitation_deliver(*, invitation_id, base_url) -> bool:
    """Make the link and mail it, once. Returns whether a mail was sent."""
    token, token_hash = _new_token_hash()
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=invitation_id, state=Invitation.State.SENT, delivery_pending=True
        ).update(delivery_pending=False, token_hash=token_hash)
        if not claimed:
            return False
        invitation = Invitation.objects.select_related("school", "child").get(pk=invitation_id)
    link = base_url.rstrip("/") + reverse("invitation_accept", args=[token])
    kind = invitation.kind
    context = {
        "invitation": invitation,
        "school": invitation.school,
        "child_first_name": invitation.child.first_name if invitation.child else "",
        "role": invitation.get_role_display(),
        "link": link,
        "expires": invitation.expires_at,
    }
    with translation.override(invitation.language), timezone.override(invitation.school.tz):
        subject = render_to_string(f"invitations/email/{kind}_subject.txt", context)
        body = render_to_string(f"invitations/email/{kind}_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [invitation.email])
    return True


def _open_for_update(token) -> Invitation:
    found = selectors.invitation_by_token(token)
    if found is None:
        raise InvitationUnusable
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if invitation.token_hash != hash_token(token) or invitation.current_state != "sent":
        raise InvitationUnusable  # Used or revoked between the read and the lock.
    return invitation


def _link(invitation, user) -> None:
    if invitation.kind == Invitation.Kind.GUARDIAN:
        Guardianship.objects.get_or_create(guardian=user, child=invitation.child)
    else:
        group_services.staff_membership_save(
            school=invitation.school,
            user=user,
            role=invitation.role,
            groups=invitation.groups.all(),
        )
    invitation.state = Invitation.State.ACCEPTED
    invitation.accepted_by = user
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["state", "accepted_by", "accepted_at"])


@transaction.atomic
def invitation_accept_new_account(*, token, full_name, password) -> User:
    """A new person: makes the account for the invited address and links it."""
    invitation = _open_for_update(token)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(
            {"__all__": _("There is already an account for this address. Log in to accept.")}
        )
    full_name = (full_name or "").strip()
    if not full_name:
        raise ValidationError({"full_name": _("Enter your name.")})
    user = User(email=invitation.email, full_name=full_name, preferred_language=invitation.language)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError(
            {"__all__": _("There is already an account for this address. Log in to accept.")}
        ) from None
    _link(invitation, user)
    return user


@transaction.atomic
def invitation_accept_existing_account(*, token, actor) -> Invitation:
    """A logged-in person: the child (or role) is added to the account they already have."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied
    invitation = _open_for_update(token)
    _link(invitation, actor)
    return invitation


@transaction.atomic
def classlist_import(*, actor, school, content: bytes, base_url) -> Plan:
    """Import a class list: children created or moved, guardians invited, all or nothing.

    Re-importing the same file finds every child and every open invitation and changes
    nothing. Guardians become linked when they accept their invitation.
    """
    if not (actor.is_superuser or group_selectors.is_school_administration(actor, school)):
        raise PermissionDenied
    # One import per school at a time, so two uploads cannot both create the same child.
    School.objects.select_for_update().get(pk=school.pk)
    plan = plan_class_list(school=school, content=content)
    if not plan.is_valid:
        raise ValidationError(
            [_("Line %(line)d: %(error)s") % {"line": line, "error": e} for line, e in plan.errors]
        )
    creating = [row for row in plan.rows if row.action == "create"]
    created = Child.objects.bulk_create(
        [
            Child(
                school=school, group=row.group, first_name=row.first_name, last_name=row.last_name
            )
            for row in creating
        ]
    )
    for row, child in zip(creating, created, strict=True):
        row.child = child
    moving = [row for row in plan.rows if row.action == "move"]
    for row in moving:
        row.child.group = row.group
    Child.objects.bulk_update([row.child for row in moving], ["group"])

    wanted = [(row.child, email) for row in plan.rows for email in row.invite]
    emails = {email for _child, email in wanted}
    languages = dict(
        User.objects.filter(email__in=emails).values_list("email", "preferred_language")
    )
    unused = {
        (invitation.child_id, invitation.email): invitation
        for invitation in Invitation.objects.filter(
            school=school, kind=Invitation.Kind.GUARDIAN, state=Invitation.State.SENT
        )
    }
    now, expires_at = timezone.now(), _expiry(school)
    new, reopened = [], []
    for child, email in wanted:
        old = unused.get((child.pk, email))
        if old is not None:
            reopened.append(_reopen(old, actor=actor, base_url=base_url))
            continue
        new.append(
            Invitation(
                school=school,
                kind=Invitation.Kind.GUARDIAN,
                child=child,
                email=email,
                language=languages.get(email, "nl"),
                token_hash=_new_token_hash()[1],
                expires_at=expires_at,
                sent_at=now,
                invited_by=actor,
            )
        )
    for invitation in Invitation.objects.bulk_create(new):
        _schedule_delivery(invitation, base_url)
    return plan
