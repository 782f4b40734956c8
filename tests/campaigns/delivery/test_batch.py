"""Delivering a batch of letters: one claim, the sends, the outcomes written together."""

from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns import tasks
from campaigns.delivery import batch, sending
from campaigns.delivery.errors import DeliveryError, NotNow
from campaigns.delivery.queue import enqueue_letters
from campaigns.delivery.registry import Accepted
from campaigns.models import DeliveryAttempt, Letter
from tests import factories
from tests.support.concurrency import at_once

Status = Letter.Status
Outcome = DeliveryAttempt.Outcome
pytestmark = pytest.mark.django_db


class Office:
    """A stand-in channel answering each letter as told, by its id."""

    def __init__(self, answers=None, *, refuses=()):
        self.answers = answers or {}
        self.refuses = set(refuses)  # ids no route reaches
        self.sent = []

    def accepts(self, letter):
        return letter.id not in self.refuses

    def send(self, letter):
        self.sent.append(letter.id)
        answer = self.answers.get(letter.id, f"id-{letter.id}")
        if isinstance(answer, Exception):
            raise answer
        return Accepted(answer, f"Took {answer}")


@pytest.fixture
def office(settings, monkeypatch):
    def install(channel):
        settings.DELIVERY_CHANNELS = ["cwc"]
        monkeypatch.setattr(sending.registry, "backend", {"cwc": channel}.__getitem__)
        return channel

    return install


def reload(letter):
    letter.refresh_from_db()
    return letter


def letter_updates(queries):
    return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "campaigns_letter"')]


def test_each_outcome_is_written_with_one_statement_for_its_kind(office, settings):
    settings.DELIVERY_BACKOFF_BASE = 10
    sent, also_sent, rejected, passing, unrouted, paused = factories.letters(6)
    later = timezone.now() + timedelta(seconds=30)
    channel = office(
        Office(
            {
                rejected.id: DeliveryError("HTTP 400: bad zip", permanent=True, answer="400"),
                passing.id: DeliveryError("HTTP 503"),
                paused.id: NotNow(later, "CWC (House) is in its maintenance window."),
            },
            refuses=[unrouted.id],
        )
    )
    taken = factories.letter(status=Status.SENDING)  # another worker's
    ids = [letter.id for letter in (sent, also_sent, rejected, passing, unrouted, paused, taken)]

    with CaptureQueriesContext(connection) as queries:
        done = batch.deliver(ids)

    assert done.finished == {
        sent.id: Status.DELIVERED,
        also_sent.id: Status.DELIVERED,
        rejected.id: Status.REJECTED,
        unrouted.id: Status.NO_ROUTE,
    }
    assert done.later.keys() == {passing.id, paused.id}
    assert 5 <= done.later[passing.id] <= 10 and 25 <= done.later[paused.id] <= 30
    assert done.handed_back == []
    assert channel.sent == [sent.id, also_sent.id, rejected.id, passing.id, paused.id]

    assert (reload(sent).status, sent.provider_id, sent.gateway_answer) == (
        Status.DELIVERED,
        f"id-{sent.id}",
        f"Took id-{sent.id}",
    )
    assert reload(also_sent).provider_id == f"id-{also_sent.id}"
    assert (reload(rejected).status, rejected.gateway_answer) == (Status.REJECTED, "400")
    assert rejected.failure_reason == "cwc: HTTP 400: bad zip"
    assert (reload(passing).status, passing.last_error) == (Status.RETRYING, "cwc: HTTP 503")
    assert reload(unrouted).status == Status.NO_ROUTE
    # Nothing was sent: the attempt is given back, and it waits for the window's end.
    assert (reload(paused).status, paused.attempts, paused.next_attempt_at) == (
        Status.QUEUED,
        0,
        later,
    )
    assert reload(taken).status == Status.SENDING and taken.attempts == 0

    attempts = dict(DeliveryAttempt.objects.values_list("letter_id", "outcome"))
    assert attempts == {
        sent.id: Outcome.ACCEPTED,
        also_sent.id: Outcome.ACCEPTED,
        rejected.id: Outcome.REJECTED,
        passing.id: Outcome.ERROR,
        unrouted.id: Outcome.NO_ROUTE,
    }
    # The claim, then one UPDATE per outcome: not one per letter.
    assert len(letter_updates(queries.captured_queries)) == 1 + 5


def test_a_letter_another_worker_took_back_meanwhile_is_not_overwritten(office):
    first, second = factories.letters(2)

    def taken_back_meanwhile(letter):
        # The lease ran out on the first letter, and another worker delivered it.
        Letter.objects.filter(id=first.id).update(
            status=Status.DELIVERED, claimed_at=timezone.now(), provider_id="other"
        )
        raise DeliveryError("HTTP 503")

    channel = office(Office())
    channel.send = lambda letter: (
        taken_back_meanwhile(letter) if letter.id == first.id else Accepted("mine", "201")
    )
    done = batch.deliver([first.id, second.id])
    assert done.finished == {second.id: Status.DELIVERED} and done.later == {}
    assert (reload(first).status, first.provider_id) == (Status.DELIVERED, "other")


def test_letters_without_time_left_are_handed_back_unsent(office, settings):
    # No slack at all before the soft time limit: only the first letter goes.
    settings.DELIVERY_SOFT_TIME_LIMIT = settings.DELIVERY_ATTEMPT_SECONDS
    channel = office(Office())
    letters = factories.letters(3)
    done = batch.deliver([letter.id for letter in letters])
    assert channel.sent == [letters[0].id]
    assert done.finished == {letters[0].id: Status.DELIVERED}
    assert done.handed_back == sorted(letter.id for letter in letters[1:])
    for letter in letters[1:]:
        assert (reload(letter).status, letter.attempts, letter.claimed_at) == (
            Status.QUEUED,
            0,
            None,
        )


def test_a_batch_tops_itself_up_with_letters_that_are_due(office, settings):
    settings.DELIVERY_BATCH_SIZE = 4
    channel = office(Office())
    named, *due = factories.letters(5)
    later = factories.letter(
        status=Status.RETRYING, next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    held = factories.letter(status=Status.UNCONFIRMED)

    done = batch.deliver([named.id])
    assert channel.sent[0] == named.id  # what the message names goes first
    assert len(channel.sent) == 4 and set(channel.sent) < {named.id, *(d.id for d in due)}
    assert done.finished == dict.fromkeys(channel.sent, Status.DELIVERED)
    left = [letter for letter in due if letter.id not in channel.sent]
    assert [reload(letter).status for letter in left] == [Status.QUEUED]
    assert (reload(later).status, reload(held).status) == (Status.RETRYING, Status.UNCONFIRMED)

    # A letter's own message, arriving after a top-up took it, does not send
    # it again; it takes what is still due: the one left.
    again = batch.deliver([channel.sent[1]])
    assert again.finished == {left[0].id: Status.DELIVERED}
    assert len(channel.sent) == len(set(channel.sent)) == 5


def test_a_full_batch_takes_no_top_up(office, settings):
    settings.DELIVERY_BATCH_SIZE = 2
    channel = office(Office())
    first, second, other = factories.letters(3)
    batch.deliver([first.id, second.id])
    assert channel.sent == [first.id, second.id]
    assert reload(other).status == Status.QUEUED


def test_an_interrupted_batch_hands_back_its_top_up_too(office, settings, monkeypatch):
    settings.DELIVERY_BATCH_SIZE = 3
    named, *topped = factories.letters(3)
    channel = office(Office({topped[0].id: DeliveryError("HTTP 503")}))
    create = DeliveryAttempt.objects.bulk_create

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(DeliveryAttempt.objects, "bulk_create", lost)
    with pytest.raises(sending.Interrupted) as interrupted:
        batch.deliver([named.id])
    monkeypatch.setattr(DeliveryAttempt.objects, "bulk_create", create)

    done = batch.deliver([named.id], resume=interrupted.value.resume)
    accepted = [named.id, topped[1].id]
    assert done.finished == dict.fromkeys(accepted, Status.DELIVERED)
    assert done.handed_back == [topped[0].id]  # its outcome was lost: tried again
    assert (reload(topped[0]).status, topped[0].attempts) == (Status.QUEUED, 0)
    assert sorted(channel.sent) == sorted(letter.id for letter in (named, *topped))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent claims need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_claims_made_at_once_never_share_a_letter():
    """Eight workers topping up from one backlog at the same moment: each
    letter taken once, and together they take them all."""
    backlog = {letter.id for letter in factories.letters(60)}

    def drain():
        taken = []
        while mine := batch.claim([], room=5)[1]:
            taken.extend(mine)
        return taken

    taken = [letter_id for part in at_once(*[drain] * 8) for letter_id in part]
    assert sorted(taken) == sorted(backlog)


def test_a_database_lost_while_recording_resumes_without_sending_again(office, monkeypatch):
    passing = factories.letter()
    channel = office(Office({passing.id: DeliveryError("HTTP 503")}))
    letters = factories.letters(2)
    ids = [letter.id for letter in letters] + [passing.id]
    create = DeliveryAttempt.objects.bulk_create

    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(DeliveryAttempt.objects, "bulk_create", lost)
    with pytest.raises(sending.Interrupted) as interrupted:
        batch.deliver(ids)
    assert all(reload(letter).status == Status.SENDING for letter in letters)  # rolled back

    monkeypatch.setattr(DeliveryAttempt.objects, "bulk_create", create)
    resume = interrupted.value.resume
    done = batch.deliver(ids, resume=resume)
    # The acceptances are recorded, the letter whose outcome was lost is
    # handed back to be tried again, and nothing is sent meanwhile.
    assert done.finished == dict.fromkeys(ids[:2], Status.DELIVERED)
    assert done.handed_back == [passing.id]
    assert (reload(passing).status, passing.attempts) == (Status.QUEUED, 0)
    assert channel.sent == ids  # once each
    assert DeliveryAttempt.objects.filter(outcome=Outcome.ACCEPTED).count() == 2


def test_the_task_reschedules_announces_and_tells(
    office, enqueued, django_capture_on_commit_callbacks
):
    ok, failing, passing = factories.letters(3)
    office(
        Office(
            {
                failing.id: DeliveryError("HTTP 400: bad", permanent=True, answer="400"),
                passing.id: DeliveryError("HTTP 503"),
            }
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.deliver_batch.run([ok.id, failing.id, passing.id])
    assert ("tell_supporter", failing.id) in enqueued
    assert [item for item in enqueued if item[0] == "deliver_batch"] == [
        ("deliver_batch", [passing.id])
    ]


def test_letters_are_queued_in_batches(enqueued, settings, django_capture_on_commit_callbacks):
    settings.DELIVERY_BATCH_SIZE = 2
    letters = factories.letters(5)
    ids = [letter.id for letter in letters]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_letters(ids)
    assert enqueued == [
        ("deliver_batch", ids[0:2]),
        ("deliver_batch", ids[2:4]),
        ("deliver_batch", ids[4:5]),
    ]


def test_an_interrupted_batch_resumes_where_it_stopped(monkeypatch):
    resume = {"claimed_at": "2026-12-01T03:00:00+00:00", "accepted": {"7": {"channel": "cwc"}}}
    retries = []
    monkeypatch.setattr(
        tasks.deliver_batch, "retry", lambda **options: retries.append(options) or Retry()
    )

    def interrupted(*args):
        raise sending.Interrupted(resume)

    monkeypatch.setattr(batch, "deliver", interrupted)
    with pytest.raises(Retry):
        tasks.deliver_batch.run([7, 8])
    assert retries[0]["kwargs"] == {"resume": resume}
