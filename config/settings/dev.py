"""Local development: `make run`. Never use these settings on a server."""

from .base import *  # noqa: F403 -- settings modules layer on top of base by design
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# Serve static files straight from the app folders while developing.
WHITENOISE_AUTOREFRESH = DEBUG
