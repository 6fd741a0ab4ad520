import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("schoolbrug")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Sub-packages are not found by the default discovery.
app.autodiscover_tasks(["messaging.kindgesprek", "messaging.digest"])
