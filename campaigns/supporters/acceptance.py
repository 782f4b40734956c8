"""Accepting postings a batch at a time: the worker's half of a send.

A posting's task accepts it and up to `room` other postings waiting to be
accepted (DELIVERY_ACCEPT_BATCH_SIZE in all), as a delivery batch tops
itself up with letters that are due (campaigns.delivery.batch): the
broker's messages are the doorbell, the postings' rows the queue. A posting
a batch took is no longer waiting when its own message arrives, which then
writes nothing.

The batch is one transaction, and pays once what each posting needs: the
postings' rows (locked, so a second worker's batch takes others), the
members and custom targets they name, the submissions of their keys, their
supporters (locked) and the offices those wrote to, one INSERT each of the
supporters, submissions and letters (and one UPDATE of the supporters known
before), the postings marked accepted, whether any webhook subscribes; once
it commits, the letters' and the emails' tasks are published together and
each hand-over recorded by one UPDATE for the batch (campaigns.delivery.queue).
About 16 round trips to PostgreSQL for a batch of one, 1.6 a posting for ten.

A posting that cannot be accepted, for a reason that will not pass, is
given up alone: one whose payload cannot be read or whose rows cannot be
built before anything is written, one the database refuses by writing the
batch again a posting at a time, each in a savepoint (a race lost to
another worker for a supporter or an office is won the same way, by a
second pass that reads its rows). Savepoints rather than a transaction a
posting: the same two round trips a posting (SAVEPOINT and RELEASE against
BEGIN and COMMIT), but the claim, the reads and the marks are shared only
inside one transaction, and the claim's row locks are what keep a second
worker off these postings until they are written. A worker killed mid-batch
rolls it all back: every posting is waiting again, for its message's
redelivery, another batch's top-up or beat's sweep. A passing database
error does the same, and the task is retried.
"""

import logging
import operator
from dataclasses import dataclass, field
from functools import reduce

from django.db import IntegrityError, transaction
from django.db.models import F, Q, prefetch_related_objects
from django.db.models.lookups import In
from django.utils import timezone

from campaigns import letters
from campaigns.delivery.queue import enqueue_confirmations, enqueue_letters
from campaigns.delivery.sending import TRANSIENT_DATABASE_ERRORS
from campaigns.models import CustomTarget, Letter, Posting, Submission, Supporter
from campaigns.supporters import submit
from legislators.models import Legislator
from webhooks import events as webhook_events

logger = logging.getLogger(__name__)


def waiting():
    """Postings neither accepted nor failed."""
    return Posting.objects.filter(accepted_at__isnull=True, failed_at__isnull=True)


def accept(posting_id, room=0):
    """Accept the posting, if still waiting, and up to room others waiting.

    A second run for a posting (a duplicate message, the sweep's, its own
    message after another batch took it) finds it no longer waiting and
    writes nothing. Returns the posting's Outcome, None when there was
    nothing left to do for it.
    """
    with transaction.atomic():
        batch = [Parsed.of(posting) for posting in take(posting_id, room)]
        if not batch:
            return None
        outcomes = accept_batch(batch)
    return outcomes.get(posting_id)


def take(posting_id, room):
    """Lock the posting, whatever the room, and up to room others waiting,
    in one query: the postings, its own first.

    On PostgreSQL the rows another worker's batch holds are skipped, not
    waited for (SKIP LOCKED), its own among them: that batch accepts it, or
    rolls back and leaves it waiting. The top-up is taken in no particular
    order (the first the index gives), so the query stops after room rows
    however long the backlog. SQLite locks nothing per row: its
    transactions begin IMMEDIATE (config.env), one writer at a time."""
    wanted = Q(id=posting_id)
    if room > 0:
        others = (
            waiting().exclude(id=posting_id).select_for_update(skip_locked=True).values("id")[:room]
        )
        wanted |= AnyOf(F("id"), others)
    postings = (
        waiting()
        .filter(wanted)
        .select_related("campaign")
        .select_for_update(skip_locked=True, of=("self",))
    )
    return sorted(postings, key=lambda posting: posting.id != posting_id)


@dataclass
class Parsed:
    """A posting's payload read, before anything is written."""

    posting: Posting
    error: Exception | None = None  # a payload that cannot be read
    email: str = ""
    fields: dict = field(default_factory=dict)  # the supporter's, email aside
    recipient_ids: list = field(default_factory=list)
    letter: letters.LetterTemplate | None = None

    @classmethod
    def of(cls, posting):
        try:
            payload = posting.payload
            fields = dict(payload["supporter"])
            if fields.get("opt_in_text"):
                fields["opted_in_at"] = posting.created_at
            return cls(
                posting,
                email=fields.pop("email"),
                fields=fields,
                recipient_ids=[tuple(ids) for ids in payload["recipients"]],
                letter=letters.LetterTemplate(payload["subject"], payload["body"]),
            )
        except Exception as error:  # given up alone, in accept_batch
            return cls(posting, error=error)

    @property
    def supporter_key(self):
        return (self.posting.campaign_id, self.email)


def accept_batch(batch):
    """Write the supporters, submissions and letters of the batch's postings
    (Parsed, their rows locked), and mark them accepted; a posting that
    cannot be accepted is given up alone. {posting id: Outcome}."""
    failed = {parsed.posting.id: parsed.error for parsed in batch if parsed.error}
    # Supporters in one order in every batch: two batches writing the same
    # two supporters never each wait on the other.
    readable = sorted(
        (parsed for parsed in batch if parsed.error is None),
        key=lambda parsed: (parsed.supporter_key, parsed.posting.id),
    )
    known = Known(readable)
    try:
        outcomes = write_together(readable, known, failed)
    except TRANSIENT_DATABASE_ERRORS:
        raise  # the batch is rolled back and retried, every posting still waiting
    except Exception:
        # The database refused a row (a race with another worker for a
        # supporter or an office, a value it will not take): again, one
        # posting at a time, to write every one it takes.
        logger.info("Accepting %d postings one at a time", len(readable), exc_info=True)
        known.read(readable)
        outcomes = write_each(readable, known, failed)
    if outcomes:
        Posting.objects.filter(id__in=outcomes).update(accepted_at=timezone.now(), payload={})
    for posting_id, error in failed.items():
        # Would fail the same way at every sweep: the supporter is told on
        # the thank-you page, staff in the log (and Sentry).
        logger.error("Posting %s cannot be accepted", posting_id, exc_info=error)
        give_up(posting_id, error)
    announce(known, outcomes.values())
    return outcomes


def write_together(readable, known, failed):
    """Every posting's rows, one INSERT for each table (one UPDATE for the
    supporters known) in a savepoint: the way a batch is usually written.
    A posting whose rows cannot be built is added to failed. Raises what the
    database refused, having written nothing. {posting id: Outcome}."""
    outcomes, touched = {}, {}
    supporters, written = dict(known.supporters), dict(known.written)
    for parsed in readable:
        key = parsed.supporter_key
        earlier = known.earlier(parsed)
        if earlier is not None:
            outcomes[parsed.posting.id] = submit.Outcome(earlier, repeated=True)
            continue
        try:
            outcome = build(parsed, known, supporters.get(key), written.get(key, set()))
        except TRANSIENT_DATABASE_ERRORS:
            raise
        except Exception as error:
            failed[parsed.posting.id] = error
            continue
        touched[key] = supporters[key] = with_fields(parsed, outcome.submission.supporter)
        written[key] = written.get(key, set()) | offices(outcome)
        outcomes[parsed.posting.id] = outcome
    made = [outcome for outcome in outcomes.values() if not outcome.repeated]
    new = [supporter for supporter in touched.values() if supporter.pk is None]
    known_before = [supporter for supporter in touched.values() if supporter.pk is not None]
    with transaction.atomic():
        Supporter.objects.bulk_create(new)
        if known_before:
            fields = {name for parsed in readable for name in parsed.fields}
            Supporter.objects.bulk_update(known_before, sorted(fields))
        Submission.objects.bulk_create(outcome.submission for outcome in made)
        Letter.objects.bulk_create(letter for outcome in made for letter in outcome.sent)
    known.supporters |= touched
    known.written = written
    return outcomes


def write_each(readable, known, failed):
    """Each posting's rows in a savepoint of its own: one the database
    refuses is added to failed, the others written. {posting id: Outcome}."""
    outcomes = {}
    for parsed in readable:
        if parsed.posting.id in failed:
            continue
        try:
            outcomes[parsed.posting.id] = write_one(parsed, known)
        except TRANSIENT_DATABASE_ERRORS:
            raise
        except Exception as error:
            failed[parsed.posting.id] = error
    return outcomes


def write_one(parsed, known):
    try:
        return write(parsed, known)
    except IntegrityError:
        # Another worker's submission of this supporter won the race for an
        # office or for the supporter's row; a second pass reads its rows.
        known.read([parsed])
        return write(parsed, known)


def write(parsed, known):
    """One posting's rows, in a savepoint; known learns them only once they
    are in (a savepoint rolled back leaves it as it was)."""
    earlier = known.earlier(parsed)
    if earlier is not None:
        return submit.Outcome(earlier, repeated=True)
    key = parsed.supporter_key
    outcome = build(parsed, known, known.supporters.get(key), known.written.get(key, set()))
    supporter = with_fields(parsed, outcome.submission.supporter)
    with transaction.atomic():
        if supporter.pk is None:
            supporter.save(force_insert=True)
        else:
            supporter.save(update_fields=list(parsed.fields))
        outcome.submission.save(force_insert=True)
        Letter.objects.bulk_create(outcome.sent)
    known.supporters[key] = supporter
    known.written[key] = known.written.get(key, set()) | offices(outcome)
    return outcome


def build(parsed, known, supporter, written):
    """A posting's Submission and Letters, unsaved, as an Outcome: to the
    supporter known (a new one when None), skipping the offices in written.
    Nothing is changed on the supporter yet: a posting that fails here
    leaves it as it was."""
    posting = parsed.posting
    if supporter is None:
        supporter = Supporter(campaign=posting.campaign, email=parsed.email, **parsed.fields)
    submission = Submission(
        # The thank-you page the supporter was sent to names the posting.
        uuid=posting.uuid,
        idempotency_key=posting.idempotency_key,
        campaign=posting.campaign,
        supporter=supporter,
        subject=parsed.letter.subject,
        body=parsed.letter.body,
        edited=posting.payload["edited"],
        **posting.payload["context"],
    )
    recipients = known.recipients(parsed)
    new_letters = submit.letters_to_write(submission, recipients, parsed.letter, written)
    return submit.Outcome(submission, sent=new_letters)


def with_fields(parsed, supporter):
    """The supporter, its fields now the posting's (the latest post wins)."""
    for name, value in parsed.fields.items():
        setattr(supporter, name, value)
    return supporter


def offices(outcome):
    """The (legislator id, custom target id) of the letters an outcome made."""
    return {(letter.legislator_id, letter.custom_target_id) for letter in outcome.sent}


def announce(known, outcomes):
    """Once the batch commits: its letters and confirmation emails to the
    queue, each in one go; the pages' letter counts anew; the webhooks."""
    new = [outcome for outcome in outcomes if outcome.sent]
    enqueue_letters(letter for outcome in new for letter in submit.queued(outcome.sent))
    enqueue_confirmations(outcome.submission.id for outcome in new)
    for campaign_id in {outcome.submission.campaign_id for outcome in new}:
        submit.forget_progress(campaign_id)
    if new:
        hooks = webhook_events.submission_subscribers(known.campaigns.values())
        for outcome in new:
            webhook_events.submission_created(
                outcome.submission, outcome.sent, hooks=hooks[outcome.submission.campaign_id]
            )


class Known:
    """What the batch's postings need from the database, read for all of
    them at once: a few queries a batch instead of a few a posting."""

    def __init__(self, batch):
        self.campaigns = {parsed.posting.campaign_id: parsed.posting.campaign for parsed in batch}
        ids = [ids for parsed in batch for ids in parsed.recipient_ids]
        self.members = Legislator.objects.in_bulk({member for member, _ in ids if member})
        self.targets = CustomTarget.objects.in_bulk({target for _, target in ids if target})
        # The directory's entries in one query, for the letters' routes.
        prefetch_related_objects(list(self.members.values()), "office")
        self.submissions, self.supporters, self.written = {}, {}, {}
        self.read(batch)

    def read(self, batch):
        """The submissions of the postings' keys, their supporters (locked
        until the batch commits) and the offices those wrote to: read again
        for a posting whose first pass lost a race."""
        if not batch:
            return
        self.submissions |= {
            (submission.campaign_id, submission.idempotency_key): submission
            for submission in Submission.objects.filter(
                _any(
                    {
                        "campaign_id": parsed.posting.campaign_id,
                        "idempotency_key": parsed.posting.idempotency_key,
                    }
                    for parsed in batch
                )
            )
        }
        keys = {parsed.supporter_key for parsed in batch}
        found = {
            (supporter.campaign_id, supporter.email): supporter
            for supporter in Supporter.objects.filter(
                _any({"campaign_id": campaign_id, "email": email} for campaign_id, email in keys)
            )
            .select_for_update()
            .order_by("id")  # locked in one order by every batch
        }
        for key in keys:
            self.supporters.pop(key, None)
            self.written.pop(key, None)
        self.supporters |= found
        key_of = {supporter.id: key for key, supporter in found.items()}
        for supporter_id, member, target in Letter.objects.filter(
            supporter__in=found.values()
        ).values_list("supporter_id", "legislator_id", "custom_target_id"):
            self.written.setdefault(key_of[supporter_id], set()).add((member, target))

    def earlier(self, parsed):
        """The submission of the posting's key, if one was written (by
        submit.submit, which writes at once)."""
        posting = parsed.posting
        return self.submissions.get((posting.campaign_id, posting.idempotency_key))

    def recipients(self, parsed):
        """The Legislators and CustomTargets a posting names, in its order;
        one deleted since is skipped."""
        found = [
            self.members.get(member) if member else self.targets.get(target)
            for member, target in parsed.recipient_ids
        ]
        return [recipient for recipient in found if recipient is not None]


def _any(conditions):
    """A Q for the rows that match any of conditions (dicts of field values;
    at least one)."""
    return reduce(operator.or_, (Q(**condition) for condition in conditions))


class AnyOf(In):
    """`id IN (subquery)`, written `id = ANY(ARRAY(subquery))` on PostgreSQL:
    an index condition it can OR with the posting's own id, where beside an
    OR an IN is a filter run over every posting waiting (a backlog of 5,000:
    1.6 ms a batch, against 0.3 ms)."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def give_up(posting_id, error):
    """A posting no worker can accept, for a reason that will not pass (a
    passing database error is retried instead): mark it failed with the
    reason, for staff, and drop its payload, so no address stays behind."""
    reason = f"{type(error).__name__}: {error}"[:2000]
    waiting().filter(id=posting_id).update(
        failed_at=timezone.now(), failure_reason=reason, payload={}
    )
