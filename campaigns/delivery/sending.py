"""Delivering one letter: claim it, try its channels in order, record the result.

Plain functions; campaigns.tasks wraps them for Celery. Every change of a
letter's status is a conditional UPDATE, so when two workers hold the same
letter id (a message delivered twice, a requeued letter) only one of them
acts, and a worker that lost its claim cannot overwrite what the new holder
recorded. A database that goes away mid-delivery interrupts the attempt with
what its retry needs to finish it (Interrupted): an office's acceptance is
recorded by the retry, never sent for again.

Each attempt ends in one state: DELIVERED (the gateway accepted it; what it
answered is kept), REJECTED (the gateway refused this message for good),
RETRYING, or FAILED (attempts exhausted, or it could not be sent at all), and
leaves a DeliveryAttempt row in the same transaction. A letter whose endpoint
may not be sent to yet (NotNow: a maintenance window, the rate limit) is put
back QUEUED with its attempt given back, for the task to try again then.
"""

import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from campaigns.delivery import clock, registry
from campaigns.delivery.errors import DeliveryError, NotNow
from campaigns.models import DeliveryAttempt, Letter
from offices import routes

logger = logging.getLogger(__name__)

Status = Letter.Status
AttemptOutcome = DeliveryAttempt.Outcome
WAITING = [Status.QUEUED, Status.RETRYING]
# A lost connection, a failover, a restart: the next try may well succeed.
TRANSIENT_DATABASE_ERRORS = (OperationalError, InterfaceError)


@dataclass(frozen=True)
class Outcome:
    """What became of one deliver() call. status is None when another
    worker had the letter, so this one did nothing."""

    status: str | None
    retry_in: float | None = None  # seconds until the next try (RETRYING, or QUEUED when paused)


NOTHING_DONE = Outcome(None)
TIMED_OUT = (
    "The attempt ran past its time limit; it may have reached the office, "
    "and the next one will tell."
)


def claim(letter_id):
    """Take a waiting letter for sending; the claim's time, or None if it was not waiting.

    The attempt is counted here, so a worker killed mid-send still uses one up;
    a letter that may not be sent yet (NotNow) gets it back in _pause.
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
        return _record_delivery(letter_id, claimed_at, accepted)
    except TRANSIENT_DATABASE_ERRORS as error:
        progress = {"claimed_at": claimed_at.isoformat()}
        if accepted is not None:
            progress["accepted"] = accepted
        raise Interrupted(progress) from error


@dataclass
class Attempt:
    """One try, as it will be written to DeliveryAttempt once its outcome is."""

    number: int
    started_at: datetime
    seconds: float
    channel: str = ""
    answer: str = ""

    def row(self, letter_id, outcome):
        return DeliveryAttempt(
            letter_id=letter_id,
            number=self.number,
            started_at=self.started_at,
            duration=timedelta(seconds=self.seconds),
            channel=self.channel,
            outcome=outcome,
            answer=self.answer,
        )


def _attempt(letter_id, claimed_at):
    """Send the claimed letter: what _record_delivery needs once an office
    took it (as JSON, for a resume), else the Outcome of the failure."""
    letter = Letter.objects.select_related(
        "campaign", "supporter", "legislator", "custom_target"
    ).get(id=letter_id)
    tried = try_once(letter)
    if tried.status == Status.DELIVERED:
        return tried.accepted
    if tried.status == Status.QUEUED:
        return _pause(letter, claimed_at, tried)
    with transaction.atomic():
        done = _mine(letter.id, claimed_at).update(**tried.common(), **tried.own())
        tried.row(letter.id).save()
    return Outcome(tried.status, retry_in=tried.retry_in()) if done else NOTHING_DONE


@dataclass
class Tried:
    """What one try of a claimed letter came to, before any of it is written:
    the letter's next status, the attempt (None for a pause: nothing was
    tried) and its outcome, and what goes with them."""

    status: str
    attempt: Attempt | None = None
    outcome: str = ""
    reason: str = ""
    answer: str = ""  # REJECTED: what the gateway said
    accepted: dict | None = None  # DELIVERED: what _record_delivery needs, as JSON
    until: datetime | None = None  # RETRYING, or QUEUED for a pause: the next try
    backoff: float | None = None  # RETRYING: the seconds until then, as drawn

    def common(self):
        """The columns this status sets alike on every letter it ends in."""
        if self.status == Status.QUEUED:
            # Nothing was sent, so nothing was tried: the attempt is given back.
            return {"status": self.status, "claimed_at": None, "attempts": F("attempts") - 1}
        if self.status == Status.RETRYING:
            return {"status": self.status}
        ended = {"status": self.status, "next_attempt_at": None}
        if self.status != Status.NO_ROUTE:
            ended["failed_at"] = timezone.now()
        return ended

    def own(self):
        """The columns that say what became of this letter in particular."""
        if self.status == Status.QUEUED:
            return {"next_attempt_at": self.until}
        if self.status == Status.RETRYING:
            return {"last_error": self.reason, "next_attempt_at": self.until}
        own = {"failure_reason": self.reason, "last_error": self.reason}
        if self.status == Status.REJECTED:
            own["gateway_answer"] = self.answer
        return own

    def row(self, letter_id):
        return self.attempt.row(letter_id, self.outcome)

    def retry_in(self):
        """Seconds until the next try, for the message that will make it."""
        if self.backoff is not None:
            return self.backoff
        if self.until is None:
            return None
        return max(0.0, (self.until - clock.now()).total_seconds())


def try_once(letter):
    """Send the claimed letter once; what came of it, as a Tried. Writes
    nothing, so a batch can write what its letters came to together."""
    started_at, start = timezone.now(), time.monotonic()

    def attempt(channel="", answer=""):
        return Attempt(letter.attempts, started_at, time.monotonic() - start, channel, answer)

    try:
        channel, accepted = send(letter)
    except routes.NoRoute as error:
        # No channel reaches the office (any more): told, not retried.
        tried = attempt(answer=error.message)
        return Tried(Status.NO_ROUTE, tried, AttemptOutcome.NO_ROUTE, error.message)
    except NotNow as pause:
        return Tried(Status.QUEUED, reason=pause.reason, until=pause.until)
    except DeliveryError as error:
        tried = attempt(error.channel, error.answer or error.message)
        if error.permanent and error.answer:
            # The gateway refused this message for good: no retry can change that.
            return Tried(
                Status.REJECTED, tried, AttemptOutcome.REJECTED, error.message, error.answer
            )
        if error.permanent:
            return Tried(Status.FAILED, tried, AttemptOutcome.UNSENDABLE, error.message)
        return _retry_later(letter, error.message, tried)
    except SoftTimeLimitExceeded:
        return _retry_later(letter, TIMED_OUT, attempt(answer=TIMED_OUT))
    except TRANSIENT_DATABASE_ERRORS:
        raise
    except Exception as error:
        # A bug or an outage we did not foresee: keep the traceback in the
        # log, and let the letter retry and then fail with this reason rather
        # than sit in SENDING until requeue_stuck notices.
        logger.exception("Delivering letter %s failed unexpectedly", letter.id)
        reason = f"Unexpected error: {error!r}"
        return _retry_later(letter, reason, attempt(answer=reason))
    tried = attempt(channel, accepted.answer)
    return Tried(
        Status.DELIVERED,
        tried,
        AttemptOutcome.ACCEPTED,
        accepted={
            "channel": channel,
            "provider_id": accepted.provider_id,
            "answer": accepted.answer,
            "attempt": {
                "number": tried.number,
                "started_at": tried.started_at.isoformat(),
                "seconds": tried.seconds,
            },
        },
    )


def _retry_later(letter, error, tried):
    limit = settings.DELIVERY_MAX_ATTEMPTS
    if letter.attempts >= limit:
        reason = f"Gave up after {letter.attempts} attempts: {error}"
        return Tried(Status.FAILED, tried, AttemptOutcome.GAVE_UP, reason)
    delay = backoff(letter.attempts)
    until = timezone.now() + timedelta(seconds=delay)
    return Tried(Status.RETRYING, tried, AttemptOutcome.ERROR, error, until=until, backoff=delay)


def _record_delivery(letter_id, claimed_at, accepted):
    """Sent, unless another worker holds the letter now or has recorded it.

    A letter the lease put back in the queue meanwhile is still this one's
    to record: the office has it. The attempt is written either way: it
    happened, and the gateway said what it said. It is written after the
    status, not with it: the acceptance must be recorded as soon as can be
    (a letter left SENDING past its lease is sent again), and a database
    lost in between leaves a resume that writes it then.
    """
    done = recordable([letter_id], claimed_at).update(
        **delivered_columns(), **delivered_own(accepted)
    )
    if (row := accepted_row(letter_id, accepted)) is not None:
        row.save()
    return Outcome(Status.DELIVERED) if done else NOTHING_DONE


def recordable(letter_ids, claimed_at):
    """The letters whose delivery this claim may record: still its own, or
    put back in the queue by the lease meanwhile (the office has them)."""
    return Letter.objects.filter(id__in=letter_ids).filter(
        Q(status=Status.SENDING, claimed_at=claimed_at) | Q(status__in=WAITING)
    )


def delivered_columns():
    return {"status": Status.DELIVERED, "delivered_at": timezone.now(), "next_attempt_at": None}


def delivered_own(accepted):
    """A delivered letter's own columns, from the channel's acceptance (as JSON)."""
    # A resume queued by a release before answers and attempts were kept has
    # no answer: the delivery is recorded all the same.
    return {
        "channel": accepted["channel"],
        "provider_id": accepted["provider_id"],
        "gateway_answer": accepted.get("answer", ""),
    }


def accepted_row(letter_id, accepted):
    """The DeliveryAttempt of an acceptance (as JSON), or None for a resume
    from a release that did not keep attempts."""
    if (attempt := accepted.get("attempt")) is None:
        return None
    started_at = datetime.fromisoformat(attempt["started_at"])
    tried = Attempt(
        attempt["number"],
        started_at,
        attempt["seconds"],
        accepted["channel"],
        accepted.get("answer", ""),
    )
    return tried.row(letter_id, AttemptOutcome.ACCEPTED)


def send(letter):
    """(channel, Accepted) from the first channel that takes the letter.

    Only the channels that reach its office are tried (offices.routes); with
    none, NoRoute. A channel that refuses it for good hands it to the next
    one; a passing failure stops here, to retry from the top later.
    """
    found = routes.route(letter)
    if not found:
        raise routes.NoRoute(found.reason)
    refusals = []
    answer = channel = ""
    for name in found.channels:
        try:
            return name, registry.backend(name).send(letter)
        except DeliveryError as error:
            refusals.append(f"{name}: {error.message}")
            answer, channel = error.answer or answer, name
            if not error.permanent:
                raise DeliveryError(
                    "; ".join(refusals), answer=error.answer, channel=name
                ) from error
    # With a gateway's answer among the refusals, the letter was rejected.
    raise DeliveryError("; ".join(refusals), permanent=True, answer=answer, channel=channel)


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


def _pause(letter, claimed_at, tried):
    """Put the letter back, queued until the pause ends, with its attempt
    given back in the same UPDATE. Its next_attempt_at in the future keeps
    requeue_stuck away until then."""
    if not _mine(letter.id, claimed_at).update(**tried.common(), **tried.own()):
        return NOTHING_DONE
    logger.info("Letter %s waits: %s", letter.id, tried.reason)
    return Outcome(Status.QUEUED, retry_in=tried.retry_in())


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

    # Read before they change: the attempts their lost workers were making.
    lost = list(Letter.objects.filter(lost_mid_send).values_list("id", "attempts", "claimed_at"))
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
    _record_lost(lost, set(requeued) | set(failed))
    if requeued or failed:
        logger.warning("Requeued %d stuck letters; %d failed", len(requeued), len(failed))
    return requeued, failed


WORKER_LOST = (
    "The worker sending it stopped, or lost touch, during this attempt; the lease "
    "ran out, so it was taken back. It may have reached the office: the next "
    "attempt will tell (CWC answers 409 to a DeliveryId it has)."
)


def _record_lost(lost, taken_back):
    """An attempt row for each letter taken back from a lost worker."""
    DeliveryAttempt.objects.bulk_create(
        DeliveryAttempt(
            letter_id=letter_id,
            number=attempts,
            started_at=claimed_at,
            outcome=DeliveryAttempt.Outcome.WORKER_LOST,
            answer=WORKER_LOST,
        )
        for letter_id, attempts, claimed_at in lost
        if letter_id in taken_back
    )
