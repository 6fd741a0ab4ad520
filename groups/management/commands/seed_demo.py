from django.core.management.base import BaseCommand

from groups import demo


class Command(BaseCommand):
    help = "Create two demo schools with groups, children, parents and staff (once)."

    def handle(self, *args, **options):
        created = demo.seed_demo()
        if created:
            self.stdout.write(self.style.SUCCESS("Demo data created."))
        else:
            self.stdout.write("Demo data exists already; nothing changed.")
        self.stdout.write(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD}):")
        for login in demo.DEMO_LOGINS:
            self.stdout.write(f"  {login.email:<36} {login.role}")
