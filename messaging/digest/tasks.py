from celery import shared_task

from . import services


@shared_task(name="digest.tick")
def tick():
    """Every 5 minutes: what each school's policy makes due now (digest, newsletter,
    reminders). Safe to fire twice: everything it starts is unique by period."""
    return services.schedule_tick()
