from celery import shared_task

from . import services


@shared_task(name="media_sharing.make_variants")
def make_variants(item_id):
    services.media_make_variants(item_id=item_id)
