"""The project's Celery app with a schedule a test can watch: one task a second.

`celery -A tests.support.beat_app beat` runs the real scheduler
(CELERY_BEAT_SCHEDULER) on this schedule instead of the production one.
"""

from config.celery import app

app.conf.beat_schedule = {
    "every-second": {"task": "config.tasks.clear_expired_sessions", "schedule": 1.0},
}
