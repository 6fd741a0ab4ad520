from django.core.management.base import BaseCommand

from groups.models import School
from privacy import services


class Command(BaseCommand):
    help = "Give every school the default consent purposes it lacks (safe to run again)."

    def handle(self, *args, **options):
        schools = list(School.objects.all())
        for school in schools:
            services.consent_purposes_ensure(school)
        self.stdout.write(f"consent purposes checked for {len(schools)} school(s)")
