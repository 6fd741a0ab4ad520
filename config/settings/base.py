"""Settings shared by every environment; values come from the environment."""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Our apps first so their templates (registration/, admin/) override Django's.
    "accounts",
    "groups",
    "mailings",
    "invitations",
    "privacy",
    "media_sharing",
    "messaging",
    "absences",
    "meetings",
    # Rightmost: the demo's content is written through every app above.
    "demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Default deny: every page needs a login unless marked login_not_required. DRF views are
    # marked so by DRF and enforce IsAuthenticated themselves (REST_FRAMEWORK below).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that it turns a lockout flagged during the request into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Without DATABASE_URL the app runs on SQLite, so `make run` needs no server.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every login attempt (also a correct one) while an account+IP is locked.
    "accounts.backends.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout per account AND address together: a school's shared IP is never locked as a
# whole, and someone guessing one parent's password is stopped after a few tries.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.backends.lockout_username"
AXES_LOCKOUT_CALLABLE = "accounts.backends.lockout_response"
# Axes counts REMOTE_ADDR: behind a reverse proxy, the proxy must pass the client's address
# there (nginx real_ip), or every visitor shares the proxy's address.
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Dutch is the default; English is available through the language switch.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

# Per process, nothing to run. `template_fragments` holds rendered pieces of busy pages
# (feed cards) keyed by everything they show, so a stale entry cannot exist; its own cache
# keeps them from pushing anything else out.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "template-fragments",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Shared photos and videos (media_sharing). The pixel limit is far below Pillow's own
# decompression-bomb limit, so a hostile image fails before it is decoded.
MEDIA_MAX_PIXELS = env.int("MEDIA_MAX_PIXELS", default=40_000_000)
MEDIA_MAX_PHOTO_BYTES = env.int("MEDIA_MAX_PHOTO_BYTES", default=20 * 1024 * 1024)
MEDIA_MAX_VIDEO_BYTES = env.int("MEDIA_MAX_VIDEO_BYTES", default=200 * 1024 * 1024)
MEDIA_MAX_UPLOAD_BYTES = env.int("MEDIA_MAX_UPLOAD_BYTES", default=400 * 1024 * 1024)
MEDIA_MAX_FILES = env.int("MEDIA_MAX_FILES", default=20)
# "stream": Django sends the file (development); "accel": nginx sends it after Django's
# check (X-Accel-Redirect, see docs/nginx.conf). S3 storage always redirects to a signed URL.
MEDIA_SERVE_MODE = env("MEDIA_SERVE_MODE", default="stream")
MEDIA_ACCEL_PREFIX = env("MEDIA_ACCEL_PREFIX", default="/protected-media/")
# Lifetime of the signed S3 URL handed out after the access check (one knob with storages').
MEDIA_SIGNED_URL_SECONDS = env.int("AWS_QUERYSTRING_EXPIRE", default=60)

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Schoolbrug <noreply@schoolbrug.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Every page reads the session: from the cache, written through to the database. Safe while
# all web processes share the cache: one process here (runserver, tests); production
# switches back to plain database sessions unless CACHE_URL gives a shared Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Only our own origin: no inline scripts, no third-party hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

REST_FRAMEWORK = {
    # Token first so that an unauthenticated API call gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "accounts.pagination.IdCursorPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Schoolbrug API",
    "DESCRIPTION": "The same operations as the web app, with the same access rules.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models call their choices "kind"; give each enum its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "AbsenceKindEnum": "absences.models.AbsenceReport.Kind",
        "AgendaItemKindEnum": "meetings.models.AgendaItem.Kind",
        "KindgesprekAttachmentKindEnum": "messaging.kindgesprek.models.Attachment.Kind",
    },
}

# Celery: with a broker URL tasks go to Redis; without one they run inline (eager), so the
# embedded default (`make run`) needs no broker or worker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
# JSON only: a pickled message from a compromised broker could run code in the worker.
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
# Acknowledge after the task ran and requeue when a worker dies, so work is never lost;
# tasks are therefore written to be idempotent by data.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message at a time per worker process, so a killed worker strands at most one task.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 5 * 60
CELERY_TASK_TIME_LIMIT = 6 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Redis hands an unacknowledged task to another worker after this long. It must exceed
# the longest task (time limit above); nothing here is scheduled hours ahead with an ETA,
# because an ETA longer than this would be delivered twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60),
}

# A worker's claim on mail deliveries outlives any task it could be running (see
# mailings.services); after that a dead worker's rows are settled.
MAILINGS_CLAIM_LEASE_SECONDS = env.int(
    "MAILINGS_CLAIM_LEASE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60
)

# The schedule, in one place. Each entry is a cheap tick that asks the database what is due
# (per school, in the school's time zone), so a double tick or a manual rerun is harmless.
CELERY_BEAT_SCHEDULE = {
    # The Friday digest, the monthly newsletter and the group-message reminders: each school's
    # own weekday, day and time in its own time zone, so one frequent tick instead of a
    # crontab per school.
    "digest-tick": {
        "task": "digest.tick",
        "schedule": 5 * 60,
    },
    "mailings-resume-unfinished": {
        "task": "mailings.tasks.resume_unfinished",
        "schedule": 5 * 60,
    },
    # Retention terms and expired data exports; idempotent, so an hourly tick is harmless.
    "privacy-daily": {
        "task": "privacy.tasks.privacy_daily",
        "schedule": 60 * 60,
    },
    # Kindgesprek e-mails that waited for a staff member's working hours.
    "kindgesprek-due-notifications": {
        "task": "kindgesprek.send_due_notifications",
        "schedule": 60.0,
    },
    # Help needed tomorrow: a reminder to the parents who signed up, at a decent hour the
    # evening before (claimed per parent, so a rerun sends nothing twice).
    "meetings-help-reminders": {
        "task": "meetings.tasks.send_help_reminders",
        "schedule": crontab(minute=0, hour=18),
    },
    # Monday 07:00 (CELERY_TIMEZONE): the weekly personal-message overview for teachers.
    "kindgesprek-coach-summaries": {
        "task": "kindgesprek.send_coach_summaries",
        "schedule": crontab(minute=0, hour=7, day_of_week=1),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Links in e-mails point here; e-mails are sent from tasks, which have no request.
SITE_URL = env("SITE_URL", default="http://localhost:8000")
