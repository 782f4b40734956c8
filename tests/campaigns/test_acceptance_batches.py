"""Accepting postings in batches: a posting's task also accepts others
waiting, so the broker's messages are a doorbell and the postings' rows the
queue. Every guarantee of accepting one posting holds for a batch."""

from functools import partial
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from campaigns import tasks
from campaigns.delivery import queue
from campaigns.models import Letter, Posting, Submission, Supporter
from campaigns.supporters import acceptance, submit
from config.celery import app
from tests import factories
from tests.campaigns.test_postings import posted
from tests.support.concurrency import at_once

pytestmark = [pytest.mark.django_db, pytest.mark.pending_postings]

WRITES = ("INSERT", "UPDATE", "DELETE")


def postings(campaign, recipients, count, tabs=1):
    """count supporters' postings (tabs each, the same letter sent again)."""
    return [
        posted(campaign, recipients, f"{number:02}{tab}".ljust(32, "k"), f"s{number}@example.org")
        for number in range(count)
        for tab in range(tabs)
    ]


def waiting_ids():
    return set(acceptance.waiting().values_list("id", flat=True))


def test_a_posting_s_task_tops_its_batch_up_with_postings_waiting(campaign, vermont, settings):
    settings.DELIVERY_ACCEPT_BATCH_SIZE = 3
    first = postings(campaign, vermont, 5)[0]
    tasks.accept_posting(first.id)
    # Its own, and two of the four others: the batch's size.
    assert first.id not in waiting_ids() and len(waiting_ids()) == 2
    accepted = Posting.objects.filter(accepted_at__isnull=False)
    assert set(accepted.values_list("uuid", flat=True)) == set(
        Submission.objects.values_list("uuid", flat=True)
    )
    assert Letter.objects.count() == 3 * 3
    assert not accepted.exclude(payload={}).exists()


def test_the_outcome_is_the_posting_s_own(campaign, vermont):
    second = postings(campaign, vermont, 2)[1]
    outcome = acceptance.accept(second.id, room=1)
    assert outcome.submission.uuid == second.uuid and len(outcome.sent) == 3
    assert waiting_ids() == set()


def test_a_posting_s_own_message_after_a_top_up_writes_nothing(campaign, vermont):
    first, second = postings(campaign, vermont, 2)
    acceptance.accept(first.id, room=1)
    with CaptureQueriesContext(connection) as queries:
        assert acceptance.accept(second.id, room=1) is None
    assert not [query for query in queries if query["sql"].startswith(WRITES)]
    assert Submission.objects.count() == 2 and Letter.objects.count() == 6


def test_a_batch_writes_each_office_once_for_a_supporter_s_two_postings(campaign, vermont):
    """Two tabs of one supporter in one batch: the offices go to one of them."""
    first = postings(campaign, vermont, 1, tabs=2)[0]
    acceptance.accept(first.id, room=1)
    assert Supporter.objects.count() == 1 and Submission.objects.count() == 2
    assert sorted(Letter.objects.values_list("legislator_id", flat=True)) == sorted(
        member.id for member in vermont
    )


def test_a_supporter_s_row_takes_the_fields_of_their_latest_posting(campaign, vermont):
    factories.supporter(campaign, email="s0@example.org", city="Montpelier")
    first, second = postings(campaign, vermont, 1, tabs=2)
    Posting.objects.filter(id=second.id).update(
        payload=second.payload | {"supporter": second.payload["supporter"] | {"phone": "802"}}
    )
    acceptance.accept(first.id, room=1)
    supporter = Supporter.objects.get()
    assert (supporter.city, supporter.phone) == ("Burlington", "802")
    assert Submission.objects.filter(supporter=supporter).count() == 2


def test_a_posting_whose_rows_cannot_be_built_is_given_up_alone(campaign, vermont, caplog):
    first, broken, last = postings(campaign, vermont, 3)
    write_letters = submit.letters_to_write

    def fails_for_broken(submission, *arguments):
        if submission.uuid == broken.uuid:
            raise ValueError("a bug in the worker")
        return write_letters(submission, *arguments)

    with mock.patch.object(submit, "letters_to_write", fails_for_broken):
        acceptance.accept(first.id, room=2)

    broken.refresh_from_db()
    assert broken.failed_at is not None and broken.accepted_at is None
    assert broken.failure_reason == "ValueError: a bug in the worker" and broken.payload == {}
    assert f"Posting {broken.id} cannot be accepted" in caplog.text
    assert not Supporter.objects.filter(email="s1@example.org").exists()
    assert set(Submission.objects.values_list("uuid", flat=True)) == {first.uuid, last.uuid}
    assert Letter.objects.count() == 6 and waiting_ids() == set()


def test_a_posting_the_database_refuses_is_given_up_alone(campaign, vermont):
    """The batch's rows go in one INSERT a table; refused, they are written
    again one posting at a time, and only the one refused is given up."""
    first, broken, last = postings(campaign, vermont, 3)
    # A submission that already has its uuid (unique): its INSERT fails.
    factories.submission(campaign, uuid=broken.uuid, idempotency_key="x" * 32)
    acceptance.accept(first.id, room=2)

    broken.refresh_from_db()
    assert broken.failed_at is not None and broken.failure_reason.startswith("IntegrityError")
    # Its supporter's row, written before its submission's, rolled back.
    assert not Supporter.objects.filter(email="s1@example.org").exists()
    accepted = Submission.objects.exclude(idempotency_key="x" * 32)
    assert set(accepted.values_list("uuid", flat=True)) == {first.uuid, last.uuid}
    assert Letter.objects.count() == 6 and waiting_ids() == set()


def test_a_posting_whose_payload_cannot_be_read_is_given_up_alone(campaign, vermont):
    first, broken = postings(campaign, vermont, 2)
    Posting.objects.filter(id=broken.id).update(payload={"supporter": {}})
    acceptance.accept(first.id, room=1)
    broken.refresh_from_db()
    assert broken.failed_at is not None and broken.failure_reason.startswith("KeyError")
    assert Submission.objects.get().uuid == first.uuid and Letter.objects.count() == 3


def test_a_passing_database_error_leaves_the_whole_batch_waiting(campaign, vermont):
    batch = postings(campaign, vermont, 3)
    with (
        mock.patch.object(
            Letter.objects, "bulk_create", side_effect=OperationalError("connection lost")
        ),
        pytest.raises(OperationalError),
    ):
        tasks.accept_posting(batch[0].id)  # raised for Celery to retry
    assert waiting_ids() == {posting.id for posting in batch}
    assert not Submission.objects.exists() and not Letter.objects.exists()
    assert all(posting.payload for posting in Posting.objects.all())


def test_the_batch_hands_its_letters_and_emails_over_together(
    campaign, vermont, django_capture_on_commit_callbacks
):
    first = postings(campaign, vermont, 4)[0]
    with (
        mock.patch.object(app, "send_task") as send_task,
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        acceptance.accept(first.id, room=3)

    assert Letter.objects.count() == 12
    assert not Letter.objects.filter(published_at__isnull=True).exists()
    assert not Submission.objects.filter(confirmation_queued_at__isnull=True).exists()
    marks = [query["sql"] for query in queries if query["sql"].startswith("UPDATE")]
    assert len([sql for sql in marks if '"published_at"' in sql]) == 1
    assert len([sql for sql in marks if '"confirmation_queued_at"' in sql]) == 1
    published = [call.args for call in send_task.call_args_list]
    # Twelve letters, one message (DELIVERY_BATCH_SIZE is 20); one email each.
    letter_batches = [ids for name, (ids,) in published if name == queue.DELIVER_BATCH]
    assert sorted(letter_batches[0]) == sorted(Letter.objects.values_list("id", flat=True))
    emails = sorted(item for name, (item,) in published if name == queue.SEND_CONFIRMATION)
    assert emails == sorted(Submission.objects.values_list("id", flat=True))
    # Whether any webhook wants the submissions: asked once for the batch.
    assert len([query for query in queries if '"webhooks_webhook"' in query["sql"]]) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_batches_taken_at_once_never_accept_a_posting_twice(campaign, vermont):
    """Four workers, each with a message of its own, top up from the same
    backlog at the same moment: six supporters, each of whom sent twice."""
    batch = postings(campaign, vermont, 6, tabs=2)
    at_once(*[partial(acceptance.accept, posting.id, room=5) for posting in batch[:4]])
    # What the four left waiting (postings the others held when they looked)
    # a later message takes.
    for posting_id in waiting_ids():
        acceptance.accept(posting_id)
    assert waiting_ids() == set()
    assert sorted(Submission.objects.values_list("uuid", flat=True)) == sorted(
        posting.uuid for posting in batch
    )
    assert Supporter.objects.count() == 6
    # Each supporter wrote each office once, whichever tab won it.
    per_office = Letter.objects.values_list("supporter__email", "legislator_id")
    assert len(per_office) == len(set(per_office)) == 6 * 3
