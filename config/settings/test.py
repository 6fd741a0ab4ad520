"""Test settings: fast hashing, mail kept in memory, tasks inline."""

from .base import *  # noqa: F403 -- settings modules layer on top of base by design

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-but-long-enough-for-signing-0123456789"  # noqa: S105 -- test-only
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Hashing strength is not under test; MD5 keeps thousands of test logins fast.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests call tasks inline even where CI exports a broker URL; the worker tests start
# a real worker and switch this off themselves.
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come from the finders in tests; there is no collectstatic output to scan.
WHITENOISE_AUTOREFRESH = True
# Tests run on a frozen clock (tests/clock.py) and travel: a test may log in on the suite's
# March morning and act on a November evening, and the browser's cookie jar keeps the
# machine's own time. How long a session lasts is not what they test.
SESSION_COOKIE_AGE = 60 * 60 * 24 * 365 * 30
CSRF_COOKIE_AGE = None
