from celery import shared_task

from . import services


@shared_task
def data_export_build(export_id: int, download_base_url: str) -> None:
    services.data_export_build(export_id=export_id, download_base_url=download_base_url)


@shared_task
def privacy_daily() -> dict:
    """Daily: retention terms and expired data exports (schedule it in CELERY_BEAT_SCHEDULE)."""
    return services.retention_run()
