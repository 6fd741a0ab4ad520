"""Listening to the consent ledger. Privacy offers no hook for decisions, and must not
import us (layers point one way), so we subscribe to its append-only event rows by name."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import services


@receiver(post_save, sender="privacy.ConsentEvent", dispatch_uid="media_sharing_withdrawal")
def consent_event_recorded(sender, instance, created, **kwargs):
    if not created or instance.decision != "refused":
        return
    child_id, purpose_code = instance.child_id, instance.purpose.code
    transaction.on_commit(
        lambda: services.consent_withdrawal_schedule(child_id=child_id, purpose_code=purpose_code)
    )
