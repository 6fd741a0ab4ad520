"""Production settings fail closed; with real values they pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
GOOD = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "q8Vt-3mZ_pL0r9xWc2Ny7HbK5sDf1Ge4Ju6Ai0Oe8Rw3Tx5Zy7Qv9Bn2Mc4Lk6Pj",
    "DJANGO_ALLOWED_HOSTS": "school.example",
    "DATABASE_URL": "sqlite:////tmp/schoolbrug-settings-test.sqlite3",
    "EMAIL_URL": "smtp://127.0.0.1:1025",
}


CONTROLLED = {"CELERY_BROKER_URL", "CACHE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_DEBUG"}


def _run(env_overrides, *args):
    # Start from this machine's environment minus everything these tests decide themselves
    # (CI exports a database and broker; the browser tests' async switch must not leak).
    env = {k: v for k, v in os.environ.items() if k not in GOOD and k not in CONTROLLED}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in GOOD.items() if k != "DJANGO_SECRET_KEY"}
    result = _run(env, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _run({**GOOD, "DJANGO_SECRET_KEY": "short"}, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in GOOD.items() if k != "DJANGO_ALLOWED_HOSTS"}
    result = _run(env, "check")
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_passes_deploy_checks():
    result = _run(GOOD, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr


def test_production_debug_is_off():
    result = _run(
        GOOD,
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
    )
    assert result.stdout.strip() == "False", result.stderr


def test_production_shares_the_cache_between_workers_when_configured():
    show = (
        "from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)"
    )
    shared = _run(
        {**GOOD, "CACHE_URL": "redis://127.0.0.1:6379/1"}, "shell", "--no-imports", "-c", show
    )
    assert shared.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ], shared.stderr
    # Per process, a cached session would outlive a logout done in another worker.
    alone = _run(GOOD, "shell", "--no-imports", "-c", show)
    assert alone.stdout.split() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.contrib.sessions.backends.db",
    ], alone.stderr


def test_without_broker_tasks_run_inline_and_without_database_url_sqlite():
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    code = (
        "from django.conf import settings as s;"
        "print(s.CELERY_TASK_ALWAYS_EAGER, s.DATABASES['default']['ENGINE'], s.TIME_ZONE,"
        " s.USE_TZ, s.LANGUAGE_CODE)"
    )
    result = _run(env, "shell", "--no-imports", "-c", code)
    assert result.stdout.split() == [
        "True",
        "django.db.backends.sqlite3",
        "Europe/Amsterdam",
        "True",
        "nl",
    ], result.stderr


def test_production_lockout_counts_the_client_behind_the_proxy():
    code = (
        "from django.conf import settings as s;"
        "print(s.AXES_IPWARE_PROXY_COUNT, s.AXES_IPWARE_META_PRECEDENCE_ORDER[0])"
    )
    result = _run(GOOD, "shell", "--no-imports", "-c", code)
    assert result.stdout.split() == ["1", "HTTP_X_FORWARDED_FOR"], result.stderr
