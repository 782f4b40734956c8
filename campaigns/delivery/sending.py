"""Delivering one letter: claim it, try its channels in order, record the result.

Plain functions; campaigns.tasks wraps them for Celery. Every change of a
letter's status is a conditional UPDATE, so when two workers hold the same
letter id (a message delivered twice, a requeued letter) only one of them
acts, and a worker that lost its claim cannot overwrite what the new holder
recorded. A database that goes away mid-delivery interrupts the attempt with
what its retry needs to finish it (Interrupted): an office's acceptance is
recorded by the retry, never sent for again.
"""

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.models import F, Q
from django.utils import timezone

from campaigns.delivery import registry
from campaigns.delivery.errors import DeliveryError
from campaigns.models import Letter
from offices import routes

logger = logging.getLogger(__name__)

Status = Letter.Status
WAITING = [Status.QUEUED, Status.RETRYING]
# A lost connection, a failover, a restart: the next try may well succeed.
TRANSIENT_DATABASE_ERRORS = (OperationalError, InterfaceError)


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


class Interrupted(Exception):
    """The database went away after this worker claimed the letter.

    resume is what the retry needs to pick up where this attempt stopped,
    as JSON for the broker: the claim, and the channel's acceptance when the
    office had the letter already, so that it is recorded, not sent again.
    """

    def __init__(self, resume):
        super().__init__(resume)
        self.resume = resume


def deliver(letter_id, resume=None):
    """Claim the letter, send it, record what happened; or, with resume from
    an Interrupted attempt, carry on from where that one stopped."""
    resume = resume or {}
    if "claimed_at" in resume:
        claimed_at = datetime.fromisoformat(resume["claimed_at"])
        # Re-checked before anything is sent: the lease may have given the
        # letter to another worker meanwhile.
        if not _mine(letter_id, claimed_at).exists():
            return NOTHING_DONE
    else:
        claimed_at = claim(letter_id)
        if claimed_at is None:
            return NOTHING_DONE
    accepted = resume.get("accepted")
    try:
        if accepted is None:
            accepted = _attempt(letter_id, claimed_at)
            if isinstance(accepted, Outcome):
                return accepted
        return _record_delivery(letter_id, claimed_at, **accepted)
    except TRANSIENT_DATABASE_ERRORS as error:
        progress = {"claimed_at": claimed_at.isoformat()}
        if accepted is not None:
            progress["accepted"] = accepted
        raise Interrupted(progress) from error


def _attempt(letter_id, claimed_at):
    """Send the claimed letter: {channel, provider_id} once an office took it,
    else the Outcome of the failure."""
    letter = Letter.objects.select_related(
        "campaign", "supporter", "legislator", "custom_target"
    ).get(id=letter_id)
    try:
        channel, provider_id = send(letter)
    except routes.NoRoute as error:
        return _no_route(letter, claimed_at, error.message)
    except DeliveryError as error:
        if error.permanent:
            return _fail(letter, claimed_at, error.message)
        return _retry_later(letter, claimed_at, error.message)
    except SoftTimeLimitExceeded:
        return _retry_later(letter, claimed_at, TIMED_OUT)
    except TRANSIENT_DATABASE_ERRORS:
        raise
    except Exception as error:
        # A bug or an outage we did not foresee: keep the traceback in the
        # log, and let the letter retry and then fail with this reason rather
        # than sit in SENDING until requeue_stuck notices.
        logger.exception("Delivering letter %s failed unexpectedly", letter_id)
        return _retry_later(letter, claimed_at, f"Unexpected error: {error!r}")
    return {"channel": channel, "provider_id": provider_id}


def _record_delivery(letter_id, claimed_at, *, channel, provider_id):
    """Delivered, unless another worker holds the letter now or has recorded it.

    A letter the lease put back in the queue meanwhile is still this one's
    to record: the office has it.
    """
    done = (
        Letter.objects.filter(id=letter_id)
        .filter(Q(status=Status.SENDING, claimed_at=claimed_at) | Q(status__in=WAITING))
        .update(
            status=Status.DELIVERED,
            channel=channel,
            provider_id=provider_id,
            delivered_at=timezone.now(),
            next_attempt_at=None,
        )
    )
    return Outcome(Status.DELIVERED) if done else NOTHING_DONE


def send(letter):
    """(channel, provider id) from the first channel that takes the letter.

    Only the channels that reach its office are tried (offices.routes); with
    none, NoRoute. A channel that refuses it for good hands it to the next
    one; a passing failure stops here, to retry from the top later.
    """
    found = routes.route(letter)
    if not found:
        raise routes.NoRoute(found.reason)
    refusals = []
    for name in found.channels:
        try:
            return name, registry.backend(name).send(letter)
        except DeliveryError as error:
            refusals.append(f"{name}: {error.message}")
            if not error.permanent:
                raise DeliveryError("; ".join(refusals)) from error
    raise DeliveryError("; ".join(refusals), permanent=True)


def backoff(attempt):
    """Seconds before the next attempt: doubling from DELIVERY_BACKOFF_BASE up
    to DELIVERY_BACKOFF_MAX, then jittered down by up to half, so letters that
    failed together do not all come back at the same moment."""
    base = settings.DELIVERY_BACKOFF_BASE
    ceiling = settings.DELIVERY_BACKOFF_MAX
    delay = min(ceiling, base * 2 ** (attempt - 1))
    return random.uniform(delay / 2, delay)


def _mine(letter_id, claimed_at):
    """The letter, if this worker's claim on it still stands."""
    return Letter.objects.filter(id=letter_id, status=Status.SENDING, claimed_at=claimed_at)


def _fail(letter, claimed_at, reason):
    done = _mine(letter.id, claimed_at).update(
        status=Status.FAILED,
        failure_reason=reason,
        last_error=reason,
        failed_at=timezone.now(),
        next_attempt_at=None,
    )
    return Outcome(Status.FAILED) if done else NOTHING_DONE


def _no_route(letter, claimed_at, reason):
    done = _mine(letter.id, claimed_at).update(
        status=Status.NO_ROUTE, failure_reason=reason, last_error=reason, next_attempt_at=None
    )
    return Outcome(Status.NO_ROUTE) if done else NOTHING_DONE


def _retry_later(letter, claimed_at, error):
    limit = settings.DELIVERY_MAX_ATTEMPTS
    if letter.attempts >= limit:
        return _fail(letter, claimed_at, f"Gave up after {letter.attempts} attempts: {error}")
    delay = backoff(letter.attempts)
    done = _mine(letter.id, claimed_at).update(
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
