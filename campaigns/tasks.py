"""Celery tasks: thin wrappers, the work is in campaigns.delivery and campaigns.emails.

Only letter ids travel through the broker.
"""

import logging
from smtplib import SMTPException

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

from campaigns import emails, followups, packets, privacy, targets
from campaigns.delivery import batch, pending, queue, sending
from campaigns.drafting import authoring, fetch
from campaigns.models import Letter
from campaigns.supporters import acceptance, visits
from webhooks import events as webhook_events

logger = logging.getLogger(__name__)

# A database that went away (a terminated connection, a failover): the task
# is retried, soon, rather than acknowledged and dropped. Celery closes the
# broken connection after the task, so the retry opens a fresh one.
DATABASE_RETRIES = {
    "autoretry_for": sending.TRANSIENT_DATABASE_ERRORS,
    "retry_backoff": 1,
    "retry_backoff_max": 60,
    "retry_jitter": True,
}

# Emails to supporters: an SMTP server that is down now may be up in a
# minute; five tries over about an hour, then give up.
EMAIL_RETRIES = {
    "autoretry_for": (SMTPException, OSError, *sending.TRANSIENT_DATABASE_ERRORS),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "max_retries": 5,
}


# acks_late with reject_on_worker_lost: a worker that dies mid-send leaves
# its message to be delivered again. That is safe because delivering is
# idempotent: the claim lets one worker through, and CWC refuses a
# DeliveryId it already has. Retries are counted on the letter, not by
# Celery, hence max_retries=None. The time limits end every attempt well
# within the lease (see DELIVERY_ATTEMPT_SECONDS in settings); a batch
# begins no letter it could not end within them (delivery.batch).
DELIVERY = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "max_retries": None,
    "soft_time_limit": settings.DELIVERY_SOFT_TIME_LIMIT,
    "time_limit": settings.DELIVERY_HARD_TIME_LIMIT,
    **DATABASE_RETRIES,
}


@shared_task(**DELIVERY)
def deliver_batch(self, letter_ids, resume=None):
    """Deliver up to DELIVERY_BATCH_SIZE letters; see delivery.batch."""
    try:
        done = batch.deliver(letter_ids, resume)
    except sending.Interrupted as interrupted:
        raise self.retry(
            kwargs={"resume": interrupted.resume},
            countdown=get_exponential_backoff_interval(1, self.request.retries, 60, True),
        ) from interrupted
    # The letters still to send first: a failure below retries this task,
    # which finds nothing left to claim.
    queue.publish_later(done.later)
    queue.publish_letters(done.handed_back)
    webhook_events.letters_finished(done.finished)
    for letter_id, status in done.finished.items():
        if status != Letter.Status.DELIVERED:
            tell_supporter.delay_on_commit(letter_id)


# One letter a message: what queues filled before batches still hold.
@shared_task(**DELIVERY)
def deliver(self, letter_id, resume=None):
    try:
        outcome = sending.deliver(letter_id, resume)
    except sending.Interrupted as interrupted:
        raise self.retry(
            kwargs={"resume": interrupted.resume},
            countdown=get_exponential_backoff_interval(1, self.request.retries, 60, True),
        ) from interrupted
    webhook_events.letter_finished(letter_id, outcome.status)
    if outcome.status in (Letter.Status.RETRYING, Letter.Status.QUEUED):
        # A new attempt from the top: the old resume no longer applies. QUEUED
        # is a pause (maintenance window, rate limit): this worker does not
        # sleep through it, the broker holds the task until then.
        raise self.retry(kwargs={}, countdown=outcome.retry_in)
    if outcome.status in (Letter.Status.FAILED, Letter.Status.REJECTED, Letter.Status.NO_ROUTE):
        tell_supporter.delay_on_commit(letter_id)


@shared_task(**EMAIL_RETRIES)
def tell_supporter(letter_id):
    emails.tell_supporter_of_failure(letter_id)


@shared_task(**DATABASE_RETRIES, max_retries=3)
def requeue_stuck():
    """Beat runs this every few minutes; see sending.requeue_stuck."""
    requeued, failed = sending.requeue_stuck()
    queue.publish_letters(requeued)
    for letter_id in failed:
        tell_supporter.delay_on_commit(letter_id)
        webhook_events.letter_finished(letter_id, Letter.Status.FAILED)


@shared_task(**DATABASE_RETRIES, max_retries=3)
def publish_pending():
    """Beat runs this every minute: hand the broker what an outage kept from
    it, and expire letters never confirmed; see delivery.pending."""
    queue.publish_acceptances(pending.unaccepted_postings())
    queue.publish_letters(pending.unpublished_letters())
    queue.publish_confirmations(pending.unqueued_confirmations())
    pending.expire_unconfirmed()


# acks_late: a worker that dies while accepting leaves the message to
# another; accepting twice writes nothing twice (see supporters.acceptance).
@shared_task(acks_late=True, reject_on_worker_lost=True, **DATABASE_RETRIES)
def accept_posting(posting_id):
    """Write the supporter and the letters a send post left as one row, and
    those of other postings waiting, DELIVERY_ACCEPT_BATCH_SIZE in all."""
    try:
        acceptance.accept(posting_id, room=settings.DELIVERY_ACCEPT_BATCH_SIZE - 1)
    except sending.TRANSIENT_DATABASE_ERRORS:
        raise  # retried here, then by beat's sweep
    except Exception as error:
        # A posting's own failure is given up in the batch; this is the
        # batch's, which would fail the same way at every sweep: the
        # supporter is told on the thank-you page, staff in the log.
        logger.exception("Posting %s cannot be accepted", posting_id)
        acceptance.give_up(posting_id, error)


@shared_task(**EMAIL_RETRIES)
def send_confirmation(submission_id):
    """Tell the supporter what they sent, or ask them to confirm it."""
    emails.send_confirmation(submission_id)


@shared_task(**EMAIL_RETRIES)
def tell_owner_of_repeat(campaign_id, email):
    """Another browser tried to write with this address; tell its owner."""
    emails.tell_owner_of_repeat(campaign_id, email)


@shared_task(**EMAIL_RETRIES)
def ask_target_to_confirm(target_id):
    """Email a custom target's address the link that lets letters reach it."""
    targets.ask_to_confirm(target_id)


@shared_task
def erase_old_addresses():
    """Beat runs this daily; see privacy.erase_old_addresses."""
    privacy.erase_old_addresses()


# The fetch keeps its own deadline; the time limits only catch a worker
# stuck somewhere else (the drafting, the database).
@shared_task(soft_time_limit=fetch.DEADLINE + 60, time_limit=fetch.DEADLINE + 90)
def import_release(import_id):
    """Fetch a release an organizer gave by address and draft it."""
    authoring.import_release(import_id)


@shared_task
def flush_visits():
    visits.flush()


@shared_task(**DATABASE_RETRIES, max_retries=3)
def build_packet(packet_id):
    """Print an office's letters as a hand-delivery packet; see packets.build."""
    try:
        packets.build(packet_id)
    except OSError as error:
        # The storage refused the file: say so on the packet, for the
        # organizer to build it again later.
        packets.build_failed(packet_id, error)


@shared_task(**DATABASE_RETRIES, max_retries=3)
def ask_about_replies():
    """Beat runs this hourly: ask the supporters whose question is due, one
    email each; see followups.ask_due."""
    for follow_up_ids in followups.ask_due():
        ask_whether_offices_replied.delay_on_commit(follow_up_ids)


@shared_task(**EMAIL_RETRIES)
def ask_whether_offices_replied(follow_up_ids):
    emails.ask_whether_offices_replied(follow_up_ids)
