from celery import shared_task

from . import services


@shared_task
def data_export_build(export_id: int, download_base_url: str) -> None:
    services.data_export_build(export_id=export_id, download_base_url=download_base_url)


@shared_task
def privacy_daily() -> int:
    """Daily housekeeping: expired data exports lose their files."""
    return services.data_exports_expire()
