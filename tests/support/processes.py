"""Processes a test starts and stops itself: a Celery worker against the
test database, a CWC server, a private Redis.

Each runs in its own process group, so "kill -9 the worker" takes its pool
children with it, as the kernel's OOM killer or a lost machine would.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager

import requests
from django.conf import settings
from django.db import connection


def test_database_url():
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def wait_for(condition, seconds=30, interval=0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


def wait_on_progress(condition, progress, *, stall=120, ceiling=3600, interval=0.2):
    """Wait until condition() holds, for as long as progress() keeps changing.

    A loaded machine makes work slow, not stuck: give up only when nothing
    has moved for `stall` seconds, or after `ceiling` seconds in all (a
    backstop against a loop that moves forever). Returns condition()'s last value.
    """
    started = last_change = time.monotonic()
    seen = progress()
    while not condition():
        now = time.monotonic()
        if now - last_change > stall or now - started > ceiling:
            return False
        time.sleep(interval)
        if (current := progress()) != seen:
            seen, last_change = current, time.monotonic()
    return True


class Worker:
    """`celery worker` for the test database, with extra settings (a dict)
    and environment variables (env). Heartbeats are off unless a test watches
    for them (`heartbeat=True`); it logs warnings and worse unless told
    another LOG_LEVEL."""

    def __init__(
        self, *, log, broker_url, settings_overrides=None, concurrency=2, pool="prefork",
        env=None, heartbeat=False, log_level="WARNING",
    ):  # fmt: skip
        self.command = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "-Q", "postings,celery,sweeper",
            f"--pool={pool}", f"--concurrency={concurrency}",
            "--without-gossip", "--without-mingle",
            *([] if heartbeat else ["--without-heartbeat"]),
            "--loglevel=WARNING",
        ]  # fmt: skip
        self.env = (
            os.environ
            | {
                "DJANGO_SETTINGS_MODULE": "tests.support.worker_settings",
                "WORKER_SETTINGS": json.dumps(settings_overrides or {}),
                "DATABASE_URL": test_database_url(),
                "CELERY_BROKER_URL": broker_url,
                "LOG_LEVEL": log_level,
            }
            | (env or {})
        )
        self.log = log
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            self.command,
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def alive(self):
        return self.process.poll() is None

    def kill(self):
        """SIGKILL to the worker and its pool: no warm shutdown, no acks."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.seek(0)
        return self.log.read()


@contextmanager
def worker(**options):
    with tempfile.TemporaryFile(mode="w+") as log:
        running = Worker(log=log, **options).start()
        try:
            yield running
        finally:
            output = running.stop()
            print(output[-5000:])  # shown by pytest when the test fails


@contextmanager
def cwc_server(*arguments):
    """tests.support.cwc_server in its own process; yields (url, received())."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.cwc_server", *arguments],
        cwd=settings.BASE_DIR,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://"), "the CWC server did not start"

        def received():
            return requests.get(f"{url}/received", timeout=5).json()

        yield url, received
    finally:
        process.terminate()
        process.wait(timeout=10)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Redis:
    """A private redis-server on a spare loopback port, to stop and start at will.

    Never the shared one: other tests and people use that.
    """

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    @staticmethod
    def available():
        return shutil.which("redis-server") is not None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        assert wait_for(self.answers, seconds=10), "redis-server did not start"
        return self

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def queue_length(self, queue="celery"):
        """How many messages wait in one of Celery's queues here."""
        import redis

        with redis.Redis.from_url(self.url) as client:
            return client.llen(queue)


@contextmanager
def celery_broker(url):
    """This process's Celery app publishes to url until the block ends.

    The app caches its connection pools, so they are dropped on the way in
    and out; the next publish opens a connection to whichever broker is set.
    """
    from config.celery import app

    def drop_pools():
        app.close()
        app.amqp._producer_pool = None

    # The write URL, because a CELERY_BROKER_URL in the environment (suite
    # 2's) outranks broker_url set here; publishing is all this process does.
    original = app.conf.broker_write_url
    app.conf.broker_write_url = url
    drop_pools()
    try:
        yield
    finally:
        app.conf.broker_write_url = original
        drop_pools()
