"""Worker figures from Celery's own events.

`manage.py watch_workers` (one per deployment; more are harmless) listens to
the workers' heartbeats and task events and keeps a summary in the shared
cache; /metrics reads it. A worker counts as alive while its last heartbeat
is recent, judged at scrape time, so a watcher that stopped cannot make dead
workers look alive.
"""

import time

from django.core.cache import cache
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from config.celery import app

KEY = "operations:workers"
# Workers beat every 2 s; three missed beats and a worker counts as gone.
ALIVE_SECONDS = 10
WRITE_EVERY = 2.0
KEEP_SECONDS = 24 * 3600  # a summary nobody refreshed for a day is dropped


class Watcher:
    """Turns events into the summary; `handle` takes one event."""

    def __init__(self):
        self.workers = {}  # hostname -> last heartbeat (epoch seconds)
        self.tasks = {}  # (task name, state) -> count
        self.names = {}  # task uuid -> task name, until it finishes
        self.written = 0.0

    def handle(self, event):
        kind = event.get("type", "")
        if kind.startswith("worker-"):
            hostname = event.get("hostname", "?")
            if kind == "worker-offline":
                self.workers.pop(hostname, None)
            else:
                self.workers[hostname] = event.get("timestamp") or time.time()
        elif kind == "task-received":
            self.names[event["uuid"]] = event.get("name", "?")
        elif kind in ("task-succeeded", "task-failed", "task-retried", "task-rejected"):
            name = self.names.pop(event.get("uuid"), None) or "unknown"
            state = kind.removeprefix("task-")
            self.tasks[name, state] = self.tasks.get((name, state), 0) + 1
        if time.monotonic() - self.written >= WRITE_EVERY:
            self.write()

    def write(self):
        summary = {
            "written": time.time(),
            "workers": self.workers,
            "tasks": [[name, state, count] for (name, state), count in self.tasks.items()],
        }
        cache.set(KEY, summary, KEEP_SECONDS)
        self.written = time.monotonic()


def watch(stop=None):
    """Listen until `stop` (a threading.Event) is set, or for ever.

    One subscription for the whole watch: with Redis, events reach only the
    subscribers of the moment, and a loop that subscribed afresh after each
    quiet second lost the events sent in between (a task's success among
    them)."""
    watcher = Watcher()
    with app.connection() as connection:
        receiver = app.events.Receiver(connection, handlers={"*": watcher.handle})

        def between_events():
            # At least once a second, events or none: the summary's age
            # stays honest, and a stop asked for is seen.
            if time.monotonic() - watcher.written >= WRITE_EVERY:
                watcher.write()
            if stop is not None and stop.is_set():
                receiver.should_stop = True

        receiver.on_iteration = between_events
        receiver.capture(limit=None, timeout=None, wakeup=True)


def metric_families(now=None):
    now = now or time.time()
    summary = cache.get(KEY)
    watching = GaugeMetricFamily(
        "constituent_worker_watcher_age_seconds",
        "Seconds since watch_workers last wrote its summary (absent: it never ran).",
    )
    alive = GaugeMetricFamily(
        "constituent_workers_alive", "Celery workers whose heartbeat was heard recently."
    )
    tasks = CounterMetricFamily(
        "constituent_celery_tasks",
        "Tasks finished by name and outcome, as reported by the workers' events.",
        labels=["task", "outcome"],
    )
    if summary is None:
        alive.add_metric([], 0)
        yield alive
        return
    watching.add_metric([], now - summary["written"])
    alive.add_metric(
        [], sum(1 for beat in summary["workers"].values() if now - beat < ALIVE_SECONDS)
    )
    for name, state, count in summary["tasks"]:
        tasks.add_metric([name, state], count)
    yield watching
    yield alive
    yield tasks
