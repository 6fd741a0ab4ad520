"""Writes to the consent ledger and its purposes, and the data-subject rights (export).
The only place these rows change."""

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from groups import selectors as group_selectors
from groups.models import Child, Group, Guardianship, School, StaffMembership
from mailings import services as mailings

from . import export, hooks, selectors
from .models import (
    AccountDeletionRequest,
    ConsentEvent,
    ConsentPurpose,
    ConsentPurposeText,
    DataExport,
)

#: The usual Dutch set, seeded per school. Schools word them their own way afterwards by
#: adding a new text version; these are school data, so they are stored in Dutch.
DEFAULT_PURPOSES = [
    (
        "group",
        "Foto's en video in de besloten groepsomgeving",
        "Foto's en video's waarop uw kind herkenbaar is, worden gedeeld in de besloten "
        "groepsomgeving van Schoolbrug. Alleen de ouders en medewerkers van de groep zien ze.",
    ),
    (
        "newsletter",
        "Foto's in de nieuwsbrief",
        "Foto's waarop uw kind herkenbaar is, mogen in de nieuwsbrief van de school staan. De "
        "nieuwsbrief gaat naar alle ouders van de school.",
    ),
    (
        "guide",
        "Foto's in de schoolgids",
        "Foto's waarop uw kind herkenbaar is, mogen in de schoolgids staan, op papier en als pdf.",
    ),
    (
        "website",
        "Foto's en video op de openbare website",
        "Foto's en video's waarop uw kind herkenbaar is, mogen op de openbare website van de "
        "school staan. Iedereen kan die zien.",
    ),
    (
        "social",
        "Foto's en video op sociale media",
        "Foto's en video's waarop uw kind herkenbaar is, mogen op de sociale-mediakanalen van "
        "de school staan. Iedereen kan die zien en delen.",
    ),
    (
        "first_name",
        "Voornaam bij een foto",
        "De voornaam van uw kind mag bij een foto staan waarop uw kind herkenbaar is.",
    ),
]


def consent_purposes_ensure(school: School) -> None:
    """Give the school the default purposes it lacks (each with text version 1). Idempotent:
    existing purposes and their wording are left alone. Pages call this on every visit, so
    the usual case is one cheap read and no transaction."""
    existing = set(
        ConsentPurpose.objects.filter(school=school).order_by().values_list("code", flat=True)
    )
    missing = [entry for entry in DEFAULT_PURPOSES if entry[0] not in existing]
    if not missing:
        return
    with transaction.atomic():
        for code, name, text in missing:
            ordering = 10 * (1 + [entry[0] for entry in DEFAULT_PURPOSES].index(code))
            purpose, created = ConsentPurpose.objects.get_or_create(
                school=school, code=code, defaults={"name": name, "ordering": ordering}
            )
            if created:
                ConsentPurposeText.objects.create(purpose=purpose, version=1, text=text)


@transaction.atomic
def consent_purpose_text_add(*, purpose: ConsentPurpose, text: str) -> ConsentPurposeText:
    """A new wording for a purpose. Old wordings stay: decisions point at their version."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the text parents will read.")})
    last = (
        ConsentPurposeText.objects.select_for_update()
        .filter(purpose=purpose)
        .order_by("-version")
        .first()
    )
    version = last.version + 1 if last else 1
    return ConsentPurposeText.objects.create(purpose=purpose, version=version, text=text)


def _is_administration(user, school) -> bool:
    return (user.is_active and user.is_superuser) or group_selectors.is_school_administration(
        user, school
    )


@transaction.atomic
def consent_record(
    *,
    actor,
    child: Child,
    purpose: ConsentPurpose,
    decision: str,
    on_behalf_of=None,
    reason: str = "",
    source: str | None = None,
) -> ConsentEvent:
    """Append a decision to the ledger.

    A guardian decides for themselves in the app. Administration records a named guardian's
    decision from a paper form (or an import), with a reason. Clicking the same choice twice
    adds nothing."""
    if decision not in ConsentEvent.Decision.values:
        raise ValidationError({"decision": _("Choose to grant or to refuse.")})
    if purpose.school_id != child.school_id:
        raise ValidationError({"purpose": _("The purpose must belong to the child's school.")})
    reason = (reason or "").strip()
    if on_behalf_of is None:
        source = ConsentEvent.Source.APP
        if not group_selectors.children_of_guardian(actor).filter(pk=child.pk).exists():
            raise PermissionDenied
        guardian = actor
    else:
        source = source or ConsentEvent.Source.PAPER
        if source == ConsentEvent.Source.APP:
            raise ValidationError({"source": _("Choose paper form or import.")})
        if not _is_administration(actor, child.school):
            raise PermissionDenied
        errors = {}
        if not Guardianship.objects.filter(child=child, guardian=on_behalf_of).exists():
            errors["on_behalf_of"] = _("Choose one of the child's guardians.")
        if not reason:
            errors["reason"] = _("Give a reason, for example: paper form of 3 September.")
        if errors:
            raise ValidationError(errors)
        guardian = on_behalf_of

    text = purpose.texts.order_by("-version").first()
    if text is None:
        raise ValidationError({"purpose": _("This purpose has no text for parents yet.")})
    now = timezone.now()
    school_year = selectors.school_year_at(child.school, now)
    if source == ConsentEvent.Source.APP:
        # A double click or a stale second tab must not fill the ledger with repeats.
        last = (
            ConsentEvent.objects.filter(child=child, purpose=purpose, school_year=school_year)
            .filter(Q(on_behalf_of=guardian) | Q(on_behalf_of__isnull=True, decided_by=guardian))
            .order_by("-created_at", "-pk")
            .first()
        )
        if last is not None and last.decision == decision:
            return last
    event = ConsentEvent(
        child=child,
        purpose=purpose,
        school_year=school_year,
        decision=decision,
        decided_by=actor,
        on_behalf_of=on_behalf_of,
        reason=reason,
        source=source,
        text_version=text.version,
        created_at=now,
    )
    # Field checks only (a reason that is too long gets a message, not a database error):
    # the related rows are the ones checked above, and the ledger's constraints are the
    # checks above too (the database keeps them as well). Re-asking costs ten queries per
    # decision, which a class's paper forms or the demo make by the thousand.
    event.full_clean(
        exclude=["child", "purpose", "decided_by", "on_behalf_of"], validate_constraints=False
    )
    event.save()
    return event


@mailings.register("consent-reminder")
def _build_reminders(run, deliveries):
    """The reminder for each guardian of one group, in the guardian's own language."""
    group = Group.objects.select_related("school").get(pk=run.payload["group_id"])
    built = {}
    for delivery in deliveries:
        guardian = delivery.recipient
        context = {"guardian": guardian, "school": group.school, "link": run.payload["link"]}
        with translation.override(guardian.preferred_language):
            subject = render_to_string("privacy/email/consent_reminder_subject.txt", context)
            body = render_to_string("privacy/email/consent_reminder_body.txt", context)
        built[delivery.pk] = EmailMessage(" ".join(subject.split()), body, None, [guardian.email])
    return built


def consent_reminders_send(*, actor, group, link: str) -> int:
    """E-mail the group's guardians who have not decided on every purpose this school year,
    asking them to choose; sent in the background after commit. At most once per guardian
    per group per day: a second click the same day finds the same mail run. Returns the
    number of guardians who will get a reminder now."""
    if not _is_administration(actor, group.school):
        raise PermissionDenied
    consent_purposes_ensure(group.school)
    guardian_ids = list(selectors.guardians_without_decision(group).values_list("pk", flat=True))
    today = timezone.localdate(timezone=group.school.tz)
    run = mailings.mail_run_start(
        kind="consent-reminder",
        period_key=f"{group.pk}:{today.isoformat()}",
        recipient_ids=guardian_ids,
        school=group.school,
        payload={"group_id": group.pk, "link": link},
    )
    return run.deliveries.filter(state="pending").count()


# --- Data export (AVG right of access) -------------------------------------------------------

#: How long a ready export can be downloaded.
EXPORT_VALID_FOR = datetime.timedelta(days=7)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def data_export_request(*, actor, download_base_url: str) -> DataExport:
    """Ask for a copy of one's data. It is built in the background and offered by e-mail.
    While one is being prepared, asking again starts nothing new."""
    from . import tasks

    with transaction.atomic():
        pending = DataExport.objects.filter(user=actor, status=DataExport.Status.PENDING).first()
        if pending is not None:
            return pending
        data_export = DataExport.objects.create(user=actor)
        transaction.on_commit(
            lambda: tasks.data_export_build.delay(data_export.pk, download_base_url)
        )
    return data_export


def data_export_build(*, export_id: int, download_base_url: str) -> None:
    """Build the ZIP and e-mail its single-use link. Idempotent: a retried or doubled task
    finds the export no longer pending and does nothing."""
    with transaction.atomic():
        data_export = (
            DataExport.objects.select_for_update()
            .select_related("user")
            .filter(pk=export_id, status=DataExport.Status.PENDING)
            .first()
        )
        if data_export is None:
            return
        token = secrets.token_urlsafe(32)
        content = export.build_zip(data_export.user)
        data_export.file.save(f"{secrets.token_hex(16)}.zip", ContentFile(content), save=False)
        data_export.token_hash = _token_hash(token)
        data_export.status = DataExport.Status.READY
        data_export.expires_at = timezone.now() + EXPORT_VALID_FOR
        data_export.save()
        link = download_base_url.rstrip("/") + f"/{token}/"
        user = data_export.user
        transaction.on_commit(lambda: _send_export_ready(user, link, data_export.expires_at))


def _send_export_ready(user, link: str, expires_at) -> None:
    context = {"user": user, "link": link, "expires_at": expires_at}
    with translation.override(user.preferred_language):
        subject = render_to_string("privacy/email/export_ready_subject.txt", context)
        body = render_to_string("privacy/email/export_ready_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def data_export_claim(*, actor, token: str) -> tuple[str, bytes]:
    """The export's file name and content, once. The conditional UPDATE claims the link, so
    two clicks at the same moment cannot both download; the file is removed afterwards.
    Raises DataExport.DoesNotExist for a wrong, foreign, used or expired link."""
    now = timezone.now()
    with transaction.atomic():
        claimed = DataExport.objects.filter(
            token_hash=_token_hash(token or ""),
            user=actor,
            status=DataExport.Status.READY,
            expires_at__gt=now,
        ).update(status=DataExport.Status.DOWNLOADED, downloaded_at=now)
        if not claimed:
            raise DataExport.DoesNotExist
        data_export = DataExport.objects.get(token_hash=_token_hash(token), user=actor)
        with data_export.file.open("rb") as handle:
            content = handle.read()
        name = data_export.file.name
        DataExport.objects.filter(pk=data_export.pk).update(file="")
        storage = data_export.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    return f"schoolbrug-{now:%Y-%m-%d}.zip", content


def data_exports_expire() -> int:
    """Daily: ready exports past their date lose their file. Returns how many expired."""
    expired = 0
    for data_export in DataExport.objects.filter(
        status=DataExport.Status.READY, expires_at__lte=timezone.now()
    ):
        if data_export.file:
            data_export.file.delete(save=False)
        data_export.status = DataExport.Status.EXPIRED
        data_export.save(update_fields=["file", "status"])
        expired += 1
    return expired


# --- Account deletion (AVG right to erasure) -------------------------------------------------

logger = logging.getLogger(__name__)


@transaction.atomic
def account_deletion_request(*, actor) -> AccountDeletionRequest:
    """A parent asks to delete their account; the administration of their children's schools
    confirms. Asking again while a request is open returns that request."""
    open_request = AccountDeletionRequest.objects.filter(
        user=actor, status=AccountDeletionRequest.Status.REQUESTED
    ).first()
    if open_request is not None:
        return open_request
    if StaffMembership.objects.filter(user=actor).exists():
        raise ValidationError(
            _("Staff accounts are closed by the school's administration. Please ask them.")
        )
    schools = School.objects.filter(children__guardianships__guardian=actor).distinct()
    if not schools.exists():
        raise ValidationError(
            _("Your account is not linked to a school. Please contact the administration.")
        )
    deletion_request = AccountDeletionRequest.objects.create(user=actor)
    deletion_request.schools.set(schools)
    return deletion_request


def _former_parent_name() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Former parent")


@transaction.atomic
def account_erase(*, actor, deletion_request: AccountDeletionRequest) -> None:
    """Confirm a deletion request: the person's data goes, the consent ledger stays.

    The account row is kept, emptied and locked, because the ledger (legal evidence) and the
    shared threads point at it: those show "former parent" from now on. Personal data goes:
    name, e-mail address, password, guardianships, API tokens and data exports (with their
    files). The request itself stays as the log of the erasure."""
    deletion_request = AccountDeletionRequest.objects.select_for_update().get(
        pk=deletion_request.pk
    )
    if deletion_request.status != AccountDeletionRequest.Status.REQUESTED:
        return
    schools = list(deletion_request.schools.all())
    if not any(_is_administration(actor, school) for school in schools):
        raise PermissionDenied
    user = get_user_model().objects.select_for_update().get(pk=deletion_request.user_id)
    if StaffMembership.objects.filter(user=user).exists():
        raise ValidationError(_("This person also works at a school; end that role first."))

    files = [e.file.name for e in DataExport.objects.filter(user=user) if e.file]
    storage = DataExport._meta.get_field("file").storage
    DataExport.objects.filter(user=user).delete()
    Guardianship.objects.filter(guardian=user).delete()
    Token.objects.filter(user=user).delete()
    hooks.erase(user)
    user.full_name = _former_parent_name()
    user.email = f"former-parent-{user.pk}@deleted.invalid"
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.preferred_language = settings.LANGUAGE_CODE
    user.save()

    deletion_request.status = AccountDeletionRequest.Status.ERASED
    deletion_request.erased_by = actor
    deletion_request.erased_at = timezone.now()
    deletion_request.save(update_fields=["status", "erased_by", "erased_at"])
    logger.info("account %s erased on request %s by %s", user.pk, deletion_request.pk, actor.pk)
    transaction.on_commit(lambda: [storage.delete(name) for name in files])


# --- Retention --------------------------------------------------------------------------------


def retention_cutoff(school: School, now=None) -> datetime.datetime:
    """The start of the school's local day, `retention_months` months back: content created
    before it has been kept long enough."""
    local = timezone.localtime(now or timezone.now(), school.tz)
    months = local.year * 12 + (local.month - 1) - school.retention_months
    year, month = divmod(months, 12)
    month += 1
    # The 31st of a shorter month becomes that month's last day.
    day = min(local.day, _days_in_month(year, month))
    start = datetime.datetime(year, month, day, tzinfo=school.tz)
    return start.astimezone(datetime.UTC)


def _days_in_month(year: int, month: int) -> int:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return (following - datetime.timedelta(days=1)).day


def retention_run(now=None) -> dict[str, int]:
    """Daily: every registered purger deletes each school's content older than the school's
    retention term, and expired data exports lose their files. Safe to run twice: what is
    gone stays gone. Returns the number of items deleted per kind."""
    totals = {"data_exports": data_exports_expire()}
    for school in School.objects.all():
        cutoff = retention_cutoff(school, now)
        for name, purge in hooks.retention_purgers().items():
            with transaction.atomic():
                totals[name] = totals.get(name, 0) + purge(school=school, cutoff=cutoff)
    return totals
