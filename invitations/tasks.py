from celery import shared_task

from . import services


@shared_task
def deliver_invitation(invitation_id: int, base_url: str) -> bool:
    return services.invitation_deliver(invitation_id=invitation_id, base_url=base_url)
