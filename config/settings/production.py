"""Production: fails closed. Every secret and host must come from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403 -- settings modules layer on top of base by design
from .base import env

DEBUG = False

# No defaults: a missing value stops the process instead of running insecurely.
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to at least 50 random characters.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name the host(s) this site serves.")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)

# TLS terminates at the reverse proxy, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Private media on S3-compatible storage when a bucket is configured; the app only ever hands
# out short-lived signed URLs for it, after its own access check.
if env("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=60),
            # SigV4: an expiry in seconds that S3-compatible stores all honour.
            "signature_version": "s3v4",
            "file_overwrite": False,
        },
    }

# Shared between the web workers: sessions are read from the cache, and the navigation's
# kindgesprek badge is cached and its writers invalidate it; both need every worker to read
# the same cache (Redis). Without CACHE_URL each process keeps its own cache, a badge can lag
# by its cache time (30 s), and sessions are read from the database on every request.
if env("CACHE_URL", default=""):
    CACHES["default"] = env.cache("CACHE_URL")  # noqa: F405 -- CACHES comes from base
else:
    # A session cached per process would outlive a logout done in another worker.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

EMAIL_CONFIG = env.email("EMAIL_URL")
vars().update(EMAIL_CONFIG)

# Behind the TLS proxy every request comes from the proxy's address; the lockout must count
# the client's. The proxy appends the client to X-Forwarded-For, so with one proxy the
# right-most entry is the one the client could not forge. Set DJANGO_PROXY_COUNT=0 when
# gunicorn faces the internet directly (then only REMOTE_ADDR is trusted).
PROXY_COUNT = env.int("DJANGO_PROXY_COUNT", default=1)
if PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT
    AXES_IPWARE_PROXY_ORDER = "right-most"
