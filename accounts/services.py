from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import NotificationMode, User

PREFERENCE_FIELDS = (
    "full_name",
    "preferred_language",
    "digest_enabled",
    "post_notifications",
    "message_notifications",
)


def user_set_language(*, actor: User, language: str) -> User:
    """Save the language a person reads the app and their e-mails in."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the offered languages.")})
    if actor.preferred_language != language:
        actor.preferred_language = language
        actor.save(update_fields=["preferred_language"])
    return actor


def user_update_preferences(*, actor: User, **changes) -> User:
    """A person's own name, language and notification choices; nothing else."""
    unknown = set(changes) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ValueError(f"not a preference: {sorted(unknown)}")
    full_name = changes.get("full_name", actor.full_name).strip()
    errors = {}
    if not full_name:
        errors["full_name"] = _("Fill in your name, so the school knows who writes.")
    if changes.get("preferred_language", actor.preferred_language) not in dict(settings.LANGUAGES):
        errors["preferred_language"] = _("Choose one of the offered languages.")
    for field in ("post_notifications", "message_notifications"):
        if changes.get(field, getattr(actor, field)) not in NotificationMode.values:
            errors[field] = _("Choose one of the offered options.")
    if errors:
        raise ValidationError(errors)
    changes["full_name"] = full_name
    for field, value in changes.items():
        setattr(actor, field, value)
    actor.save(update_fields=list(changes))
    return actor
