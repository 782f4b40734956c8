"""The Celery app. Tasks subclass DjangoTask, so they have delay_on_commit."""

import os

from celery import Celery, signals
from celery.contrib.django.task import DjangoTask
from celery.schedules import crontab

from config import (
    broker,  # noqa: F401  (registers the embedded broker's transport)
    logs,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Workers and beat log through Django's LOGGING: JSON lines with request ids.
signals.setup_logging.connect(logs.leave_to_django, weak=False)

app = Celery("constituent", task_cls=DjangoTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["config", "campaigns", "legislators", "webhooks", "offices"])


# Celery's Django fixup would close the database connection before and after
# every task: a new PostgreSQL connection per task was the largest single cost
# of draining letters (docs/benchmarks.md). With CELERY_DB_REUSE_MAX set it
# leaves them be, and a worker keeps its connection as the web does, by
# CONN_MAX_AGE: around each task, one that errored (a terminated backend, a
# failover) or outlived its age is closed, and the next query opens another.
# Not around a task run eagerly (in tests): that is inside its caller's
# transaction.
@signals.task_prerun.connect(weak=False)
@signals.task_postrun.connect(weak=False)
def close_old_database_connections(sender=None, **_):
    if getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


app.conf.beat_schedule = {
    "clear-expired-sessions": {
        "task": "config.tasks.clear_expired_sessions",
        "schedule": crontab(hour=4, minute=17),
    },
    # Visits are counted in Redis and written to the database once a minute.
    "flush-visits": {
        "task": "campaigns.tasks.flush_visits",
        "schedule": 60.0,
    },
    "requeue-stuck-letters": {
        "task": "campaigns.tasks.requeue_stuck",
        "schedule": crontab(minute="*/5"),
    },
    "publish-pending-letters": {
        "task": "campaigns.tasks.publish_pending",
        "schedule": crontab(),  # every minute
    },
    "requeue-stuck-webhooks": {
        "task": "webhooks.tasks.requeue_stuck_webhooks",
        "schedule": crontab(minute="*/5"),
    },
    # Did the office reply? Asked FOLLOW_UP_WEEKS after delivery.
    "ask-about-replies": {
        "task": "campaigns.tasks.ask_about_replies",
        "schedule": crontab(minute=11),
    },
    "erase-old-addresses": {
        "task": "campaigns.tasks.erase_old_addresses",
        "schedule": crontab(hour=3, minute=41),
    },
    "refresh-legislators-data": {
        "task": "legislators.tasks.refresh_data",
        "schedule": crontab(day_of_week="mon", hour=5, minute=23),
    },
    # After the roster, so a seat that changed hands is matched to its new member.
    "import-cwc-offices": {
        "task": "offices.tasks.import_offices",
        "schedule": crontab(day_of_week="mon", hour=5, minute=53),
    },
}
