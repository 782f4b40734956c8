"""The project's Celery app with beat putting stuck letters back every five
seconds instead of five minutes, so a test need not wait for the real schedule."""

from config.celery import app

app.conf.beat_schedule = {
    "requeue-stuck-letters": {"task": "campaigns.tasks.requeue_stuck", "schedule": 5.0},
}
