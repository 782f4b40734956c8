"""The project's Celery app with beat putting stuck letters back, and handing
over again what a lost worker or broker kept back (postings, letters), every
five seconds instead of every few minutes, so a test need not wait for the
real schedule."""

from config.celery import app

app.conf.beat_schedule = {
    "requeue-stuck-letters": {"task": "campaigns.tasks.requeue_stuck", "schedule": 5.0},
    "publish-pending": {"task": "campaigns.tasks.publish_pending", "schedule": 5.0},
}
