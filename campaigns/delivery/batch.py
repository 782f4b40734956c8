"""Delivering letters a batch at a time: one statement claims them, one
query reads them, each is sent in turn, and what they came to is written
together, one UPDATE per outcome and one INSERT of their attempts, in one
transaction.

A message names a few letters (a submission's); the claim takes them and
tops the batch up to DELIVERY_BATCH_SIZE with other letters that are due,
so a backlog drains in full batches, whatever each message names. A letter
taken that way is skipped by its own message when it arrives (no longer
waiting): the broker's messages are the doorbell, the letters' rows the queue.

The guarantees are those of sending, letter by letter: the claim lets one
worker through (it says which letters it took: UPDATE … RETURNING); every
outcome is written only on a letter this claim still holds, and a delivery
also on one the lease put back in the queue meanwhile (the office has it);
a database lost mid-batch interrupts it with what its retry needs
(sending.Interrupted: the claim and every acceptance so far, recorded by
the retry, never sent for again; the retry hands the batch's other letters
back to the queue).

A batch must end within the time limits that bound one letter (the lease
is set by them), however slowly its offices answer: a letter is begun only
while one more exchange cut at DELIVERY_ATTEMPT_SECONDS still leaves half
the slack before the soft time limit to write the outcomes. The letters it
had no time for are handed back unsent, their attempt given back, for a new
message.
"""

import logging
import math
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.sql import UpdateQuery
from django.utils import timezone

from campaigns.delivery import sending
from campaigns.models import DeliveryAttempt, Letter

logger = logging.getLogger(__name__)

Status = Letter.Status
RELATED = ("campaign", "supporter", "legislator__office", "custom_target")


@dataclass
class Done:
    """What became of a batch, for the task to announce and reschedule."""

    finished: dict = field(default_factory=dict)  # letter id -> the status it ended in
    later: dict = field(default_factory=dict)  # letter id -> seconds until its next try
    handed_back: list = field(default_factory=list)  # ids given back unsent, to queue now


def deliver(letter_ids, resume=None):
    """Claim the waiting letters among letter_ids, send them, record what
    happened; or, with resume from an Interrupted batch, finish that one.
    Returns Done."""
    if resume:
        return _resume(letter_ids, resume)
    started = time.monotonic()
    claimed_at, mine = claim(letter_ids, room=settings.DELIVERY_BATCH_SIZE - len(letter_ids))
    if not mine:
        return Done()  # every one taken by another worker, or not waiting any more
    named = [letter_id for letter_id in letter_ids if letter_id in mine]
    to_send = named + sorted(mine.difference(named))
    accepted, tried, handed_back = {}, {}, []
    try:
        letters = Letter.objects.select_related(*RELATED).in_bulk(to_send)
        for number, letter_id in enumerate(to_send):
            # The first always goes, so every batch gets somewhere.
            if number and not _time_for_another(started):
                handed_back.append(letter_id)
                continue
            outcome = sending.try_once(letters[letter_id])
            if outcome.status == Status.DELIVERED:
                accepted[letter_id] = outcome.accepted
            else:
                tried[letter_id] = outcome
        return _record(claimed_at, accepted, tried, handed_back)
    except sending.TRANSIENT_DATABASE_ERRORS as error:
        raise _interrupted(claimed_at, accepted, to_send) from error


def _resume(letter_ids, resume):
    """Finish an Interrupted batch, sending nothing: record the acceptances
    it had, and hand every other letter it still holds back to the queue,
    its attempt given back (what became of it was lost with the database;
    the next attempt tells, CWC answering 409 to a letter it has). A resume
    that sent them itself would keep those acceptances unrecorded for as
    long as that took, past the lease while the database kept failing, and
    the letters would be sent again; this one is a single short transaction."""
    claimed_at = datetime.fromisoformat(resume["claimed_at"])
    accepted = {int(key): value for key, value in resume.get("accepted", {}).items()}
    claimed = resume.get("claimed", letter_ids)  # a resume from before top-ups had none
    others = [letter_id for letter_id in claimed if letter_id not in accepted]
    try:
        return _record(claimed_at, accepted, {}, others)
    except sending.TRANSIENT_DATABASE_ERRORS as error:
        raise _interrupted(claimed_at, accepted, claimed) from error


def _interrupted(claimed_at, accepted, claimed):
    """What a retry needs to finish the batch (as JSON, for the broker)."""
    return sending.Interrupted(
        {"claimed_at": claimed_at.isoformat(), "accepted": accepted, "claimed": list(claimed)}
    )


def claim(letter_ids, room=0):
    """Take the waiting ones among letter_ids for sending, and up to room
    other letters that are due, in one statement: (the claim's time, the
    ids taken). Each counts an attempt, as sending.claim does.

    The top-up is taken in no particular order (the first the index gives),
    so the statement stops after room rows however long the backlog. Two
    workers may pick the same ones; the second's UPDATE then finds them
    no longer waiting and takes fewer."""
    now = timezone.now()
    wanted = Q(id__in=letter_ids)
    if room > 0:
        due = (
            Letter.objects.filter(status__in=sending.WAITING)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .exclude(id__in=letter_ids)
        )
        wanted |= Q(id__in=due.values("id")[:room])
    waiting = Letter.objects.filter(wanted, status__in=sending.WAITING)
    taken = _update_returning_ids(
        waiting, status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return now, taken


def _time_for_another(started):
    slack = settings.DELIVERY_SOFT_TIME_LIMIT - settings.DELIVERY_ATTEMPT_SECONDS
    return time.monotonic() - started <= slack / 2


def _held(letter_ids, claimed_at):
    return Letter.objects.filter(id__in=letter_ids, status=Status.SENDING, claimed_at=claimed_at)


def _record(claimed_at, accepted, tried, handed_back):
    done = Done()
    with transaction.atomic():
        if accepted:
            delivered = _update_returning_ids(
                sending.recordable(accepted, claimed_at),
                **sending.delivered_columns(),
                **_each({i: sending.delivered_own(a) for i, a in accepted.items()}),
            )
            done.finished |= dict.fromkeys(delivered, Status.DELIVERED)
        by_status = {}
        for letter_id, outcome in tried.items():
            by_status.setdefault(outcome.status, {})[letter_id] = outcome
        for status, group in by_status.items():
            first = next(iter(group.values()))
            changed = _update_returning_ids(
                _held(group, claimed_at),
                **first.common(),
                **_each({i: outcome.own() for i, outcome in group.items()}),
            )
            for letter_id in changed:
                if status in (Status.RETRYING, Status.QUEUED):
                    done.later[letter_id] = group[letter_id].retry_in()
                else:
                    done.finished[letter_id] = status
        if handed_back:
            done.handed_back = sorted(
                _update_returning_ids(
                    _held(handed_back, claimed_at),
                    status=Status.QUEUED,
                    claimed_at=None,
                    attempts=F("attempts") - 1,
                    next_attempt_at=timezone.now(),
                )
            )
        # Written either way, as sending writes them: the attempts happened.
        rows = [sending.accepted_row(i, a) for i, a in accepted.items()]
        rows += [outcome.row(i) for i, outcome in tried.items() if outcome.attempt]
        DeliveryAttempt.objects.bulk_create(row for row in rows if row is not None)
    paused = [i for i, outcome in tried.items() if outcome.status == Status.QUEUED]
    if paused:
        logger.info("%d letters wait: %s", len(paused), tried[paused[0]].reason)
    return done


def _each(own):
    """Columns that differ from letter to letter ({id: {column: value}}) as
    one expression per column: the value itself when every letter has it."""
    columns = {}
    for name in next(iter(own.values())):
        values = {letter_id: fields[name] for letter_id, fields in own.items()}
        if len(set(values.values())) == 1:
            columns[name] = next(iter(values.values()))
            continue
        output = Letter._meta.get_field(name)
        columns[name] = Case(
            *[When(id=letter_id, then=Value(value)) for letter_id, value in values.items()],
            output_field=output,
        )
    return columns


def _update_returning_ids(queryset, **values):
    """queryset.update(**values), returning the ids of the rows it changed:
    which letters this worker's claim took or still held. UPDATE … RETURNING,
    which PostgreSQL and SQLite both have; the ORM's update() only counts."""
    query = queryset.query.chain(UpdateQuery)
    query.add_update_values(values)
    with transaction.mark_for_rollback_on_error(using=queryset.db):
        rows = query.get_compiler(queryset.db).execute_returning_sql([Letter._meta.pk])
    return {row[0] for row in rows}


def countdowns(later):
    """later ({id: seconds}) as {whole seconds to wait: ids}: one message
    each, so letters paused or retried together come back together, and
    those spread by the rate limit or the backoff's jitter stay spread."""
    groups = {}
    for letter_id, seconds in sorted(later.items()):
        groups.setdefault(math.ceil(seconds or 0), []).append(letter_id)
    return groups
