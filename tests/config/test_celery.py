"""The Celery app takes its delivery guarantees from Django settings."""

from config.celery import app


def test_celery_reads_django_settings():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.accept_content == ["json"]
    assert conf.task_serializer == "json"
    assert conf.timezone == "Europe/Amsterdam"
    assert conf.task_time_limit > conf.task_soft_time_limit


def test_tasks_run_inline_in_tests():
    assert app.conf.task_always_eager is True
