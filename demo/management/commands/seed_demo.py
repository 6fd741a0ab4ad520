import logging
import time

from celery import current_app
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from demo import content
from groups import demo


class Command(BaseCommand):
    help = (
        "Create two demo schools with their people and a few weeks of content (once; "
        "running it again changes nothing)."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        created = demo.seed_demo()
        # Seeding makes the services send what they would send for real (absence
        # confirmations, kindgesprek notifications, the newsletter and digest to every
        # parent): hundreds of mails that would flood `make run`'s console or, with a real
        # EMAIL_URL, reach a mail server. They go to memory instead, and tasks run here
        # rather than on a worker whose own mail settings would send them after all.
        eager = current_app.conf.task_always_eager
        current_app.conf.task_always_eager = True
        # Celery logs every inline task it runs: hundreds of lines saying nothing here.
        trace = logging.getLogger("celery.app.trace")
        level = trace.level
        trace.setLevel(logging.WARNING)
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                filled = content.seed_content()
        finally:
            current_app.conf.task_always_eager = eager
            trace.setLevel(level)
        if created:
            self.stdout.write(self.style.SUCCESS("Demo schools and people created."))
        if filled:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo content created for {', '.join(filled)} "
                    f"in {time.monotonic() - started:.1f} s."
                )
            )
        if not created and not filled:
            self.stdout.write("Demo data exists already; nothing changed.")
        self.stdout.write(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD}):")
        for login in demo.DEMO_LOGINS:
            self.stdout.write(f"  {login.email:<36} {login.role}")
