from celery import shared_task

from . import services


@shared_task(name="kindgesprek.send_message_notification")
def send_message_notification(notification_id):
    return services.notification_send(notification_id=notification_id)


@shared_task(name="kindgesprek.send_due_notifications")
def send_due_notifications():
    """Every minute: e-mails that waited for the recipient's working hours."""
    return services.notifications_send_due()


@shared_task(name="kindgesprek.send_coach_summaries")
def send_coach_summaries():
    """Weekly: the personal-message overview for each teacher and assistant."""
    return services.coach_summaries_send()
