"""CI runs on real PostgreSQL and Redis; these prove the services are there and used."""

import os

import pytest
import redis
from django.conf import settings
from django.db import connection

from tests.conftest import REQUIRE_SERVICES, require_postgres


def test_database_is_postgresql_in_ci(db):
    require_postgres()
    with connection.cursor() as cursor:
        cursor.execute("select current_setting('server_version_num')::int")
        assert cursor.fetchone()[0] >= 130000


def test_redis_broker_answers_in_ci():
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url:
        if REQUIRE_SERVICES:
            pytest.fail("CELERY_BROKER_URL must point at Redis in CI")
        pytest.skip("no broker configured")  # REQUIRE_SERVICES is off: a laptop
    assert url == settings.CELERY_BROKER_URL
    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    assert client.ping() is True
