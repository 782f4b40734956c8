"""The queue is real: a separate Celery worker process runs what we enqueue.

The broker is whatever the suite runs on: the filesystem broker on the
embedded defaults, Redis when CELERY_BROKER_URL points there.
"""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.utils import timezone

from config.tasks import clear_expired_sessions


@pytest.fixture
def worker(transactional_db):
    """A real worker process using the test database and the suite's broker."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        database_url = f"sqlite:///{db['NAME']}"
    else:
        database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = os.environ | {
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    print(output)


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


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

    assert wait_for(lambda: not Session.objects.filter(session_key=expired.session_key).exists()), (
        "the worker never ran the task"
    )
    assert worker.poll() is None, "the worker died"
