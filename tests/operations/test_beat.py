"""Two beat processes started by mistake schedule the work once, and the
standby takes over when the one scheduling is killed.

Each beat sends "one task a second" (tests/support/beat_app.py) to a private
Redis; every message names the process that sent it (its `origin` header),
so the queue itself shows who scheduled what.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile

import pytest
import redis
from django.conf import settings

from tests.support import processes

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not processes.Redis.available(), reason="redis-server is not installed"),
]

LEASE_SECONDS = 3


@pytest.fixture
def broker():
    server = processes.Redis().start()
    yield server
    server.stop()


def start_beat(broker_url, folder, log):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tests.support.beat_app", "beat",
         f"--schedule={folder}/schedule", "--loglevel=WARNING"],
        cwd=settings.BASE_DIR,
        env=os.environ | {
            "DJANGO_SETTINGS_MODULE": "tests.support.worker_settings",
            "WORKER_SETTINGS": json.dumps({"BEAT_LEASE_SECONDS": LEASE_SECONDS}),
            "DATABASE_URL": processes.test_database_url(),
            "CELERY_BROKER_URL": broker_url,
        },
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def senders(queue):
    """The pid of the process that sent each message on the queue, oldest first."""
    origins = [
        json.loads(raw)["headers"]["origin"] for raw in reversed(queue.lrange("celery", 0, -1))
    ]
    return [int(origin.split("@")[0].removeprefix("gen")) for origin in origins]


def test_two_beats_schedule_once_and_the_standby_takes_over(broker):
    queue = redis.Redis.from_url(broker.url)
    with (
        tempfile.TemporaryDirectory() as one,
        tempfile.TemporaryDirectory() as two,
        tempfile.TemporaryFile("w+") as log,
    ):
        beats = [start_beat(broker.url, one, log), start_beat(broker.url, two, log)]
        try:
            # Both running for a while: every message from one of them.
            assert processes.wait_for(lambda: len(senders(queue)) >= 8, seconds=90), (
                "beat sent nothing"
            )
            sent = senders(queue)
            assert len(set(sent)) == 1, f"two schedulers sent tasks: {sent}"
            leader = next(beat for beat in beats if beat.pid == sent[0])
            standby = next(beat for beat in beats if beat is not leader)
            assert standby.poll() is None, "the second beat exited instead of standing by"

            os.killpg(leader.pid, signal.SIGKILL)
            leader.wait()
            assert processes.wait_for(lambda: standby.pid in senders(queue), seconds=60), (
                "the standby never took over"
            )
            after = senders(queue)
            # The standby sent nothing while the leader lived; then only it sends.
            first = after.index(standby.pid)
            assert set(after[:first]) == {leader.pid}
            assert set(after[first:]) == {standby.pid}
        finally:
            for beat in beats:
                if beat.poll() is None:
                    os.killpg(beat.pid, signal.SIGTERM)
                    beat.wait(timeout=20)
            log.seek(0)
            print(log.read()[-5000:])


def test_a_standby_taking_over_runs_only_what_fell_due_after_the_old_holder_was_seen(
    tmp_path, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from config.celery import app
    from operations import leases
    from operations.beat import LEASE, LeasedScheduler
    from operations.models import Lease

    settings.BEAT_LEASE_SECONDS = 30
    leases.hold(LEASE, "old-holder", 30)
    last_seen = timezone.now() - timedelta(minutes=7)
    Lease.objects.update(renewed_at=last_seen, expires_at=last_seen + timedelta(seconds=30))

    scheduler = LeasedScheduler(app=app, schedule_filename=str(tmp_path / "schedule"))
    sent = []
    scheduler.apply_async = lambda entry, **kwargs: sent.append(entry.name)
    scheduler.schedule.clear()  # only this entry, new: last run "now" unless taken over
    scheduler.update_from_dict(
        {
            "every-five-minutes": {"task": "config.tasks.clear_expired_sessions", "schedule": 300},
            "every-ten-minutes": {"task": "config.tasks.clear_expired_sessions", "schedule": 600},
        }
    )
    try:
        for _ in range(3):  # a tick sends at most one due task
            scheduler.tick()
    finally:
        scheduler.close()
    # The old holder was last seen 7 minutes ago: the run due 5 minutes after
    # that is owed; the 10-minute one is not due for 3 more minutes.
    assert scheduler.leading
    assert sent == ["every-five-minutes"]
    assert Lease.objects.get().renewed_at > last_seen
