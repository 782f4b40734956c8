"""Celery tasks: thin wrappers, the work is in campaigns.delivery and campaigns.emails.

Only letter ids travel through the broker.
"""

from smtplib import SMTPException

from celery import shared_task

from campaigns import emails, privacy
from campaigns.delivery import sending
from campaigns.models import Letter
from campaigns.supporters import visits

# Emails to supporters: an SMTP server that is down now may be up in a
# minute; five tries over about an hour, then give up.
EMAIL_RETRIES = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "max_retries": 5,
}


# acks_late with reject_on_worker_lost: a worker that dies mid-send leaves
# its message to be delivered again. That is safe because deliver is
# idempotent: the claim lets one worker through, and CWC refuses a
# DeliveryId it already has. Retries are counted on the letter, not by
# Celery, hence max_retries=None.
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def deliver(self, letter_id):
    outcome = sending.deliver(letter_id)
    if outcome.status == Letter.Status.RETRYING:
        raise self.retry(countdown=outcome.retry_in)
    if outcome.status == Letter.Status.FAILED:
        tell_supporter.delay_on_commit(letter_id)


@shared_task(**EMAIL_RETRIES)
def tell_supporter(letter_id):
    emails.tell_supporter_of_failure(letter_id)


@shared_task
def requeue_stuck():
    """Beat runs this every few minutes; see sending.requeue_stuck."""
    requeued, failed = sending.requeue_stuck()
    for letter_id in requeued:
        deliver.delay_on_commit(letter_id)
    for letter_id in failed:
        tell_supporter.delay_on_commit(letter_id)


@shared_task(**EMAIL_RETRIES)
def send_confirmation(submission_id):
    """Tell the supporter what they sent, or ask them to confirm it."""
    emails.send_confirmation(submission_id)


@shared_task
def erase_old_addresses():
    """Beat runs this daily; see privacy.erase_old_addresses."""
    privacy.erase_old_addresses()


@shared_task
def flush_visits():
    visits.flush()
