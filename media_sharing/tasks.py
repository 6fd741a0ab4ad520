from celery import shared_task

from . import services


@shared_task(name="media_sharing.make_variants")
def make_variants(item_id):
    services.media_make_variants(item_id=item_id)


@shared_task(name="media_sharing.notify_hidden_media")
def notify_hidden_media(child_id, purpose_code):
    services.notify_hidden_media(child_id=child_id, purpose_code=purpose_code)
