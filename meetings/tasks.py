from celery import shared_task

from .services.help import help_reminders_send


@shared_task
def send_help_reminders():
    """Daily: remind signed-up parents of tomorrow's help requests (idempotent by data)."""
    return help_reminders_send()
