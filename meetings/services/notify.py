"""E-mail notifications, sent after the transaction commits and in each reader's language."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation


def notify_after_commit(users, subject, body, params):
    """`subject` and `body` are lazy translations with %(name)s placeholders; callables in
    `params` are evaluated inside the reader's language (dates, times)."""
    recipients = [user for user in users if user.email]

    def send():
        for user in recipients:
            language = user.preferred_language or settings.LANGUAGE_CODE
            with translation.override(language):
                values = {k: v() if callable(v) else v for k, v in params.items()}
                send_mail(str(subject) % values, str(body) % values, None, [user.email])

    if recipients:
        transaction.on_commit(send)
