"""Delivering one letter: claim it, try its channels in order, record the result.

Plain functions; campaigns.tasks wraps them for Celery. Every change of a
letter's status is a conditional UPDATE, so when two workers hold the same
letter id (a message delivered twice, a requeued letter) only one of them
acts, and a worker that lost its claim cannot overwrite what the new holder
recorded.
"""

import logging
import random
from dataclasses import dataclass
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from campaigns.delivery import registry
from campaigns.delivery.errors import DeliveryError
from campaigns.models import Letter

logger = logging.getLogger(__name__)

Status = Letter.Status
WAITING = [Status.QUEUED, Status.RETRYING]


@dataclass(frozen=True)
class Outcome:
    """What became of one deliver() call. status is None when another
    worker had the letter, so this one did nothing."""

    status: str | None
    retry_in: float | None = None


NOTHING_DONE = Outcome(None)
TIMED_OUT = (
    "The attempt ran past its time limit; it may have reached the office, "
    "and the next one will tell."
)


def claim(letter_id):
    """Take a waiting letter for sending; the claim's time, or None if it was not waiting.

    The attempt is counted here, so a worker killed mid-send still uses one up.
    """
    now = timezone.now()
    taken = Letter.objects.filter(id=letter_id, status__in=WAITING).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return now if taken == 1 else None


def deliver(letter_id):
    claimed_at = claim(letter_id)
    if claimed_at is None:
        return NOTHING_DONE
    letter = Letter.objects.select_related(
        "campaign", "supporter", "legislator", "custom_target"
    ).get(id=letter_id)
    try:
        channel, provider_id = send(letter)
    except DeliveryError as error:
        if error.permanent:
            return _fail(letter, claimed_at, error.message)
        return _retry_later(letter, claimed_at, error.message)
    except SoftTimeLimitExceeded:
        return _retry_later(letter, claimed_at, TIMED_OUT)
    except Exception as error:
        # A bug or an outage we did not foresee: keep the traceback in the
        # log, and let the letter retry and then fail with this reason rather
        # than sit in SENDING until requeue_stuck notices.
        logger.exception("Delivering letter %s failed unexpectedly", letter_id)
        return _retry_later(letter, claimed_at, f"Unexpected error: {error!r}")
    _mine(letter, claimed_at).update(
        status=Status.DELIVERED,
        channel=channel,
        provider_id=provider_id,
        delivered_at=timezone.now(),
        next_attempt_at=None,
    )
    return Outcome(Status.DELIVERED)


def send(letter):
    """(channel, provider id) from the first channel that takes the letter.

    A channel that refuses it for good hands it to the next one; a passing
    failure stops here, to retry from the top later.
    """
    names = registry.configured()
    refusals = []
    for name in names:
        backend = registry.backend(name)
        if not backend.accepts(letter):
            continue
        try:
            return name, backend.send(letter)
        except DeliveryError as error:
            refusals.append(f"{name}: {error.message}")
            if not error.permanent:
                raise DeliveryError("; ".join(refusals)) from error
    if not refusals:
        raise DeliveryError(
            f"No delivery channel can reach this recipient (tried {', '.join(names)}).",
            permanent=True,
        )
    raise DeliveryError("; ".join(refusals), permanent=True)


def backoff(attempt):
    """Seconds before the next attempt: doubling from DELIVERY_BACKOFF_BASE up
    to DELIVERY_BACKOFF_MAX, then jittered down by up to half, so letters that
    failed together do not all come back at the same moment."""
    base = settings.DELIVERY_BACKOFF_BASE
    ceiling = settings.DELIVERY_BACKOFF_MAX
    delay = min(ceiling, base * 2 ** (attempt - 1))
    return random.uniform(delay / 2, delay)


def _mine(letter, claimed_at):
    """The letter, if this worker's claim on it still stands."""
    return Letter.objects.filter(id=letter.id, status=Status.SENDING, claimed_at=claimed_at)


def _fail(letter, claimed_at, reason):
    done = _mine(letter, claimed_at).update(
        status=Status.FAILED,
        failure_reason=reason,
        last_error=reason,
        failed_at=timezone.now(),
        next_attempt_at=None,
    )
    return Outcome(Status.FAILED) if done else NOTHING_DONE


def _retry_later(letter, claimed_at, error):
    limit = settings.DELIVERY_MAX_ATTEMPTS
    if letter.attempts >= limit:
        return _fail(letter, claimed_at, f"Gave up after {letter.attempts} attempts: {error}")
    delay = backoff(letter.attempts)
    done = _mine(letter, claimed_at).update(
        status=Status.RETRYING,
        last_error=error,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
    )
    return Outcome(Status.RETRYING, retry_in=delay) if done else NOTHING_DONE


def requeue_stuck(now=None):
    """Put back the letters a lost worker or a lost message left behind.

    Stuck means: SENDING for longer than the lease (DELIVERY_LEASE_SECONDS;
    the worker died mid-send), or QUEUED/RETRYING and due for longer than
    the lease (the message never arrived: a broker restart, a crash before
    it was acknowledged). Sending any of them again is safe: the claim lets
    one worker through, and CWC answers 409 to a DeliveryId it already has.
    A letter that was SENDING on its last allowed attempt fails instead, so
    one that kills its worker every time cannot loop forever.

    Returns (ids to enqueue, ids that failed).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)
    limit = settings.DELIVERY_MAX_ATTEMPTS
    lost_mid_send = Q(status=Status.SENDING, claimed_at__lt=cutoff)
    never_arrived = Q(status__in=WAITING) & (
        Q(next_attempt_at__lt=cutoff) | Q(next_attempt_at__isnull=True, created_at__lt=cutoff)
    )

    exhausted = Letter.objects.filter(lost_mid_send, attempts__gte=limit)
    failed = list(exhausted.values_list("id", flat=True))
    reason = f"The worker sending it stopped during its last allowed attempt ({limit})."
    exhausted.filter(id__in=failed).update(
        status=Status.FAILED, failure_reason=reason, last_error=reason, failed_at=now
    )

    stuck = Letter.objects.filter(lost_mid_send | never_arrived)
    requeued = list(stuck.values_list("id", flat=True))
    # next_attempt_at restarts the lease, so the next run leaves these alone
    # while their new messages wait in the queue.
    stuck.filter(id__in=requeued).update(
        status=Status.QUEUED, claimed_at=None, next_attempt_at=now, published_at=None
    )
    if requeued or failed:
        logger.warning("Requeued %d stuck letters; %d failed", len(requeued), len(failed))
    return requeued, failed
