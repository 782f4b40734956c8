"""The queue is real: a separate Celery worker process runs what we enqueue.

The broker is whatever the suite runs on: the filesystem broker on the
embedded defaults, Redis when CELERY_BROKER_URL points there.
"""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from config.tasks import clear_expired_sessions
from tests.support import processes


@pytest.fixture
def worker(transactional_db):
    """A real worker process using the test database and the suite's broker."""
    with processes.worker(broker_url=settings.CELERY_BROKER_URL, pool="solo") as running:
        yield running


def test_task_enqueued_on_commit_runs_in_a_separate_worker(worker):
    expired = SessionStore()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )

    with transaction.atomic():
        clear_expired_sessions.delay_on_commit()
        # Still inside the transaction: nothing has been sent, so nothing ran.
        time.sleep(1)
        assert Session.objects.filter(session_key=expired.session_key).exists()

    assert processes.wait_for(
        lambda: not Session.objects.filter(session_key=expired.session_key).exists()
    ), "the worker never ran the task"
    assert worker.alive(), "the worker died"
