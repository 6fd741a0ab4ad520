from celery import shared_task

from . import services
from .models import MailRun


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def process_run(self, run_id: int):
    run = MailRun.objects.filter(pk=run_id).first()
    if run is None:
        return None
    try:
        return services.mail_run_process(run=run)
    except services.SendInterrupted as error:
        raise self.retry(exc=error) from error


@shared_task
def resume_unfinished():
    return services.mail_runs_resume()
