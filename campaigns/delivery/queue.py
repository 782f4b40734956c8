"""Putting letters on the queue, taking them back off: what the supporter
flow, the admin and beat call. Only ids travel through the broker, and only
once the transaction that wrote the rows has committed: up to
DELIVERY_BATCH_SIZE of them to a message, delivered together
(delivery.batch), so a submission's letters are one task, not one each.

The rows are the truth, the broker only a messenger: once the letters are
committed, a broker that is down costs the supporter nothing (they see the
thank-you page) and loses no letter. Each row records when its message was
handed over; beat hands over again whatever a broker outage kept back
(publish_pending), so every committed letter reaches the queue in the end.
"""

import logging
import math
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from campaigns.models import Letter, Posting, Submission
from config.celery import app

logger = logging.getLogger(__name__)

# By name: the tasks themselves queue letters through this module.
DELIVER_BATCH = "campaigns.tasks.deliver_batch"
SEND_CONFIRMATION = "campaigns.tasks.send_confirmation"
ACCEPT = "campaigns.tasks.accept_posting"
# One immediate second try (a pooled connection gone stale after a broker
# restart reconnects), then on: Celery's default policy spends over a second
# per message on a broker that is down, on the supporter's request, when the
# row is safe and beat hands it over later anyway.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0}


def enqueue_letters(letter_ids):
    """Queue the letters once this transaction commits."""
    if letter_ids := list(letter_ids):
        transaction.on_commit(partial(publish_letters, letter_ids))


def enqueue_confirmations(submission_ids):
    """Queue the emails to the supporters once this transaction commits."""
    if submission_ids := list(submission_ids):
        transaction.on_commit(partial(publish_confirmations, submission_ids))


def enqueue_acceptance(posting_id):
    """Have a worker write the posting's letters once this transaction commits.

    Its publish time is not recorded (a round trip on the supporter's
    request): the sweep counts from the posting's creation instead."""
    transaction.on_commit(partial(hand_over, ACCEPT, [posting_id]))


def publish_letters(letter_ids):
    """Hand the letters to the broker now, in batches; the ids it took."""
    size = settings.DELIVERY_BATCH_SIZE
    batches = [letter_ids[start : start + size] for start in range(0, len(letter_ids), size)]
    published = [letter_id for batch in hand_over(DELIVER_BATCH, batches) for letter_id in batch]
    Letter.objects.filter(id__in=published).update(published_at=timezone.now())
    return published


def publish_later(later):
    """Queue again, each when it is due, the letters of a batch that will be
    tried later ({id: seconds}: a retry's backoff, a pause). One message per
    whole second of wait: letters paused together come back together, and
    those the rate limit or the backoff's jitter spread out stay spread.
    A message lost here is not a letter lost: requeue_stuck finds it due."""
    due = {}
    for letter_id, seconds in sorted(later.items()):
        due.setdefault(math.ceil(seconds or 0), []).append(letter_id)
    for seconds, letter_ids in due.items():
        hand_over(DELIVER_BATCH, [letter_ids], countdown=seconds)


def publish_confirmations(submission_ids):
    published = hand_over(SEND_CONFIRMATION, submission_ids)
    Submission.objects.filter(id__in=published).update(confirmation_queued_at=timezone.now())
    return published


def publish_acceptances(posting_ids):
    """Hand the broker again the postings whose task never led anywhere."""
    published = hand_over(ACCEPT, posting_ids)
    Posting.objects.filter(id__in=published).update(published_at=timezone.now())
    return published


def hand_over(task_name, items, **options):
    """Publish the task for each item (an id, a batch of ids), stopping at
    the first error; the items published.

    Any error is logged, never raised: the rows are committed already and
    beat hands over the rest, while raising here would answer a supporter
    whose letters are safe with an error page.
    """
    published = []
    try:
        for item in items:
            app.send_task(task_name, (item,), retry_policy=PUBLISH_RETRY_POLICY, **options)
            published.append(item)
    except Exception:
        logger.exception(
            "Could not queue %s for %d of %d messages; beat will hand them over later",
            task_name,
            len(items) - len(published),
            len(items),
        )
    return published


def retry_failed(letters):
    """Send failed or rejected letters again, with a fresh set of attempts
    (after fixing what made the gateway refuse them, say). Returns how many."""
    ended = [Letter.Status.FAILED, Letter.Status.REJECTED]
    ids = list(letters.filter(status__in=ended).values_list("id", flat=True))
    with transaction.atomic():
        count = Letter.objects.filter(id__in=ids, status__in=ended).update(
            status=Letter.Status.QUEUED,
            attempts=0,
            failure_reason="",
            gateway_answer="",
            failed_at=None,
            claimed_at=None,
            next_attempt_at=timezone.now(),
            published_at=None,
        )
        enqueue_letters(ids)
    return count


def cancel_queued(campaign):
    """Stop a campaign's letters that have not gone out, confirmed or not. Returns how many.

    A letter being sent this very moment (SENDING) finishes; messages
    already queued for the cancelled ones find nothing to claim.
    """
    return campaign.letters.filter(
        status__in=[Letter.Status.UNCONFIRMED, Letter.Status.QUEUED, Letter.Status.RETRYING]
    ).update(status=Letter.Status.CANCELLED, next_attempt_at=None)
