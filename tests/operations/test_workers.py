"""Worker figures from Celery's events: heartbeats say who is alive, task
events count outcomes; /metrics shows what watch_workers gathered."""

import threading
import time

import pytest
from django.conf import settings

from config.celery import app
from config.tasks import clear_expired_sessions
from operations import workers
from tests.operations.test_metrics import scrape, value
from tests.support import processes


@pytest.mark.django_db
def test_heartbeats_and_task_events_become_figures(client):
    watcher = workers.Watcher()
    now = time.time()
    watcher.handle({"type": "worker-online", "hostname": "celery@a", "timestamp": now})
    watcher.handle({"type": "worker-heartbeat", "hostname": "celery@b", "timestamp": now - 60})
    for number, outcome in enumerate(["succeeded", "succeeded", "failed"]):
        watcher.handle({"type": "task-received", "uuid": str(number), "name": "deliver"})
        watcher.handle({"type": f"task-{outcome}", "uuid": str(number)})
    watcher.write()

    samples = scrape(client)
    assert value(samples, "constituent_workers_alive") == 1  # b's last beat is a minute old
    assert (
        value(samples, "constituent_celery_tasks_total", task="deliver", outcome="succeeded") == 2
    )
    assert value(samples, "constituent_celery_tasks_total", task="deliver", outcome="failed") == 1

    watcher.handle({"type": "worker-offline", "hostname": "celery@a", "timestamp": now})
    watcher.write()
    assert value(scrape(client), "constituent_workers_alive") == 0


@pytest.mark.django_db
def test_without_a_watcher_no_worker_is_reported_alive(client):
    samples = scrape(client)
    assert value(samples, "constituent_workers_alive") == 0
    assert ("constituent_worker_watcher_age_seconds", ()) not in samples


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    settings.CELERY_BROKER_URL.startswith("filesystem://"),
    reason="the filesystem broker has no fanout exchange, so Celery events need Redis or RabbitMQ",
)
def test_a_real_worker_is_seen_alive_and_its_tasks_counted(client):
    app.control.purge()  # what earlier tests left would be counted too
    stop = threading.Event()
    watching = threading.Thread(target=workers.watch, args=(stop,), daemon=True)
    watching.start()
    try:
        with processes.worker(broker_url=settings.CELERY_BROKER_URL, pool="solo", heartbeat=True):
            assert processes.wait_for(
                lambda: value(scrape(client), "constituent_workers_alive") == 1, seconds=60
            ), "the worker's heartbeat was never heard"
            clear_expired_sessions.delay()
            task = {"task": "config.tasks.clear_expired_sessions", "outcome": "succeeded"}
            assert processes.wait_for(
                lambda: value(scrape(client), "constituent_celery_tasks_total", **task) == 1,
                seconds=60,
            ), "the task's success was never counted"
    finally:
        stop.set()
        watching.join(timeout=10)
