"""Claiming, sending through the channels in order, and recording the result."""

from datetime import timedelta
from functools import partial

import pytest
from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.db import OperationalError, connection, connections
from django.utils import timezone

from campaigns import emails, tasks
from campaigns.delivery import batch, sending
from campaigns.delivery.errors import DeliveryError
from campaigns.delivery.queue import cancel_queued, enqueue_letters, retry_failed
from campaigns.delivery.registry import Accepted
from campaigns.models import Letter
from config.celery import app
from legislators.models import DistrictOffice
from tests import factories
from tests.support.concurrency import at_once

Status = Letter.Status


class Channel:
    """A stand-in channel module that answers as told."""

    def __init__(self, *answers, accepts=True):
        self.answers = list(answers)
        self.sent = []
        self.accepting = accepts

    def accepts(self, letter):
        return self.accepting

    def send(self, letter):
        self.sent.append(letter.id)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return Accepted(answer, f"Took {answer}")


@pytest.fixture
def channels(settings, monkeypatch):
    """Install stand-in channels: channels(first=Channel(...), second=...)."""

    def install(**modules):
        settings.DELIVERY_CHANNELS = list(modules)
        monkeypatch.setattr(sending.registry, "backend", modules.__getitem__)

    return install


def raises(error):
    def fail(*args, **kwargs):
        raise error

    return fail


def reload(letter):
    letter.refresh_from_db()
    return letter


@pytest.mark.django_db
class TestDeliver:
    def test_a_delivered_letter_records_channel_provider_id_and_time(self, channels):
        channels(first=Channel("provider-1"))
        letter = factories.letter()

        assert sending.deliver(letter.id) == sending.Outcome(Status.DELIVERED)
        reload(letter)
        assert (letter.status, letter.channel, letter.provider_id) == (
            Status.DELIVERED,
            "first",
            "provider-1",
        )
        assert letter.attempts == 1 and letter.delivered_at is not None

    def test_the_outbox_is_the_default_channel(self, outbox_dir):
        letter = factories.letter()
        sending.deliver(letter.id)
        assert reload(letter).channel == "outbox"
        assert (outbox_dir / f"{letter.uuid.hex}.xml").exists()

    def test_a_channel_that_does_not_apply_is_skipped(self, channels):
        skipped, used = Channel(accepts=False), Channel("id-2")
        channels(cwc=skipped, email=used)
        letter = factories.letter()
        sending.deliver(letter.id)
        assert skipped.sent == [] and used.sent == [letter.id]
        assert reload(letter).channel == "email"

    def test_a_permanent_failure_falls_through_to_the_next_channel(self, channels):
        channels(
            cwc=Channel(DeliveryError("HTTP 400: unknown office", permanent=True)),
            email=Channel("<id@example>"),
        )
        letter = factories.letter()
        sending.deliver(letter.id)
        assert (reload(letter).status, letter.channel) == (Status.DELIVERED, "email")

    def test_every_channel_refusing_fails_the_letter_with_every_reason(self, channels):
        channels(
            cwc=Channel(DeliveryError("HTTP 400: unknown office", permanent=True)),
            email=Channel(DeliveryError("550 no such user", permanent=True)),
        )
        letter = factories.letter()
        assert sending.deliver(letter.id).status == Status.FAILED
        reload(letter)
        assert letter.status == Status.FAILED and letter.failed_at is not None
        assert letter.failure_reason == "cwc: HTTP 400: unknown office; email: 550 no such user"

    def test_no_channel_for_the_recipient_ends_the_letter_without_a_route(self, channels):
        channels(cwc=Channel(accepts=False))
        letter = factories.letter()
        assert sending.deliver(letter.id).status == Status.NO_ROUTE
        reload(letter)
        assert letter.status == Status.NO_ROUTE and letter.failed_at is None
        assert letter.failure_reason == (
            "No delivery channel reaches this office (cwc): it has no email address."
        )

    def test_a_passing_failure_schedules_a_retry(self, channels, settings):
        settings.DELIVERY_BACKOFF_BASE = 10
        channels(cwc=Channel(DeliveryError("HTTP 503")))
        letter = factories.letter()
        before = timezone.now()

        outcome = sending.deliver(letter.id)
        assert outcome.status == Status.RETRYING and 5 <= outcome.retry_in <= 10
        reload(letter)
        assert (letter.status, letter.attempts, letter.last_error) == (
            Status.RETRYING,
            1,
            "cwc: HTTP 503",
        )
        assert before + timedelta(seconds=5) <= letter.next_attempt_at
        assert letter.next_attempt_at <= timezone.now() + timedelta(seconds=10)

    def test_the_last_attempt_fails_the_letter(self, channels, settings):
        settings.DELIVERY_MAX_ATTEMPTS = 3
        channels(cwc=Channel(*[DeliveryError("HTTP 503")] * 3))
        letter = factories.letter()
        outcomes = [sending.deliver(letter.id).status for _ in range(3)]

        assert outcomes == [Status.RETRYING, Status.RETRYING, Status.FAILED]
        assert reload(letter).failure_reason == "Gave up after 3 attempts: cwc: HTTP 503"

    def test_an_unexpected_error_is_retried_with_its_reason(self, channels):
        channels(cwc=Channel(KeyError("surprise")))
        letter = factories.letter()
        assert sending.deliver(letter.id).status == Status.RETRYING
        assert reload(letter).last_error == "Unexpected error: KeyError('surprise')"

    def test_a_letter_that_is_not_waiting_is_left_alone(self, channels):
        channel = Channel("never")
        channels(cwc=channel)
        for status in (Status.SENDING, Status.DELIVERED, Status.FAILED, Status.CANCELLED):
            letter = factories.letter(status=status)
            assert sending.deliver(letter.id) == sending.NOTHING_DONE
            assert reload(letter).status == status
        assert sending.deliver(987654321) == sending.NOTHING_DONE
        assert channel.sent == []

    def test_a_worker_that_lost_its_claim_cannot_overwrite_the_new_holders_result(self, channels):
        letter = factories.letter()

        def slow_failure(_letter):
            # Meanwhile the lease ran out, the letter was requeued and delivered.
            Letter.objects.filter(id=letter.id).update(
                status=Status.DELIVERED, claimed_at=timezone.now(), provider_id="other"
            )
            raise DeliveryError("HTTP 503")

        channel = Channel()
        channel.send = slow_failure
        channels(cwc=channel)
        assert sending.deliver(letter.id) == sending.NOTHING_DONE
        assert reload(letter).status == Status.DELIVERED


def terminate_own_database_connection():
    """What an operator's pg_terminate_backend or a failover does to a worker."""
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


class AcceptThenLoseTheDatabase(Channel):
    def send(self, letter):
        answer = super().send(letter)
        terminate_own_database_connection()
        return answer


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="terminates its own PostgreSQL backend"
)


@on_postgresql
@pytest.mark.django_db(transaction=True)
class TestLosingTheDatabase:
    def test_after_the_office_accepted_the_retry_records_it_and_sends_nothing(self, channels):
        channel = AcceptThenLoseTheDatabase("provider-1")
        channels(cwc=channel)
        letter = factories.letter()
        with pytest.raises(sending.Interrupted) as caught:
            sending.deliver(letter.id)
        connection.close()  # as Celery does after a task whose connection broke
        assert reload(letter).status == Status.SENDING

        assert sending.deliver(letter.id, caught.value.resume).status == Status.DELIVERED
        assert channel.sent == [letter.id]  # sent once
        letter = reload(letter)
        assert (letter.channel, letter.provider_id, letter.attempts) == ("cwc", "provider-1", 1)

    def test_before_sending_the_retry_sends_only_if_its_claim_still_stands(self, channels):
        channel = Channel("provider-1")
        channels(cwc=channel)
        letter = factories.letter()
        claimed_at = sending.claim(letter.id)
        resume = {"claimed_at": claimed_at.isoformat()}
        Letter.objects.filter(id=letter.id).update(claimed_at=timezone.now())  # requeued, reclaimed
        assert sending.deliver(letter.id, resume) == sending.NOTHING_DONE
        assert channel.sent == []


@pytest.mark.django_db
def test_two_claims_one_winner():
    letter = factories.letter()
    assert sending.claim(letter.id) is not None
    assert sending.claim(letter.id) is None
    assert reload(letter).attempts == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_one_winner():
    letter = factories.letter()
    results = at_once(*[partial(sending.claim, letter.id)] * 6)
    assert sum(result is not None for result in results) == 1
    assert reload(letter).attempts == 1


def test_backoff_doubles_up_to_the_ceiling_with_jitter(settings):
    settings.DELIVERY_BACKOFF_BASE = 30
    settings.DELIVERY_BACKOFF_MAX = 3600
    for attempt, full in [(1, 30), (2, 60), (3, 120), (8, 3600), (20, 3600)]:
        delays = {sending.backoff(attempt) for _ in range(50)}
        assert all(full / 2 <= delay <= full for delay in delays)
        assert len(delays) > 1


@pytest.mark.django_db
class TestRequeueStuck:
    def test_what_counts_as_stuck(self, settings):
        settings.DELIVERY_LEASE_SECONDS = 600
        now = timezone.now()
        old, recent = now - timedelta(seconds=601), now - timedelta(seconds=60)
        lost_worker = factories.letter(status=Status.SENDING, claimed_at=old, attempts=1)
        busy_worker = factories.letter(status=Status.SENDING, claimed_at=recent, attempts=1)
        lost_message = factories.letter()
        Letter.objects.filter(id=lost_message.id).update(created_at=old)
        fresh = factories.letter()
        overdue_retry = factories.letter(status=Status.RETRYING, next_attempt_at=old)
        waiting_retry = factories.letter(
            status=Status.RETRYING, next_attempt_at=now + timedelta(60)
        )
        factories.letter(status=Status.DELIVERED, claimed_at=old)

        requeued, failed = sending.requeue_stuck(now)

        assert sorted(requeued) == sorted([lost_worker.id, lost_message.id, overdue_retry.id])
        assert failed == []
        for letter in (lost_worker, lost_message, overdue_retry):
            assert (reload(letter).status, letter.claimed_at) == (Status.QUEUED, None)
            assert letter.next_attempt_at == now  # the lease starts again
        for letter, status in [
            (busy_worker, Status.SENDING),
            (fresh, Status.QUEUED),
            (waiting_retry, Status.RETRYING),
        ]:
            assert reload(letter).status == status
        # Until the new lease runs out, the next run leaves them alone.
        assert sending.requeue_stuck(now + timedelta(seconds=300)) == ([], [])

    def test_a_letter_lost_on_its_last_attempt_fails(self, settings):
        settings.DELIVERY_MAX_ATTEMPTS = 3
        old = timezone.now() - timedelta(hours=1)
        letter = factories.letter(status=Status.SENDING, claimed_at=old, attempts=3)

        assert sending.requeue_stuck() == ([], [letter.id])
        assert reload(letter).status == Status.FAILED
        assert "stopped during its last allowed attempt" in letter.failure_reason

    def test_the_task_enqueues_them(self, enqueued, django_capture_on_commit_callbacks):
        old = timezone.now() - timedelta(hours=1)
        letter = factories.letter(status=Status.SENDING, claimed_at=old, attempts=1)
        with django_capture_on_commit_callbacks(execute=True):
            tasks.requeue_stuck()
        assert enqueued == [("deliver_batch", [letter.id])]


@pytest.mark.django_db
class TestQueue:
    def test_letters_are_enqueued_only_when_the_transaction_commits(
        self, enqueued, django_capture_on_commit_callbacks
    ):
        letters = factories.letters(3)
        with django_capture_on_commit_callbacks(execute=True):
            enqueue_letters([letter.id for letter in letters])
            assert enqueued == []
        assert enqueued == [("deliver_batch", [letter.id for letter in letters])]
        # Each records that its message is on the broker, so beat leaves it be.
        assert all(reload(letter).published_at for letter in letters)

    def test_retry_failed_starts_failed_letters_afresh(
        self, enqueued, django_capture_on_commit_callbacks
    ):
        failed = factories.letter(
            status=Status.FAILED, attempts=8, failure_reason="550 no such user"
        )
        delivered = factories.letter(status=Status.DELIVERED)
        with django_capture_on_commit_callbacks(execute=True):
            count = retry_failed(Letter.objects.filter(id__in=[failed.id, delivered.id]))

        assert count == 1
        assert enqueued == [("deliver_batch", [failed.id])]
        reload(failed)
        assert (failed.status, failed.attempts, failed.failure_reason) == (Status.QUEUED, 0, "")
        assert reload(delivered).status == Status.DELIVERED

    def test_cancel_queued_stops_what_has_not_gone_out(self):
        first = factories.letter()
        campaign = first.campaign
        retrying = factories.letter(campaign=campaign, status=Status.RETRYING)
        unconfirmed = factories.letter(campaign=campaign, status=Status.UNCONFIRMED)
        sending_now = factories.letter(campaign=campaign, status=Status.SENDING)
        other_campaign = factories.letter()

        assert cancel_queued(campaign) == 3
        assert reload(first).status == reload(retrying).status == Status.CANCELLED
        assert reload(unconfirmed).status == Status.CANCELLED
        assert reload(sending_now).status == Status.SENDING
        assert reload(other_campaign).status == Status.QUEUED
        assert sending.deliver(first.id) == sending.NOTHING_DONE


@pytest.mark.django_db
class TestTasks:
    @pytest.mark.parametrize("task", [tasks.deliver, tasks.deliver_batch])
    def test_an_attempt_has_celery_time_limits_inside_the_lease(self, task, settings):
        soft, hard = task.soft_time_limit, task.time_limit
        assert settings.DELIVERY_ATTEMPT_SECONDS < soft < hard < settings.DELIVERY_LEASE_SECONDS

    def test_a_soft_time_limit_retries_the_letter_with_its_reason(self, channels):
        channels(cwc=Channel(SoftTimeLimitExceeded()))
        letter = factories.letter()
        assert sending.deliver(letter.id).status == Status.RETRYING
        assert reload(letter).last_error == (
            "The attempt ran past its time limit; it may have reached the office, "
            "and the next one will tell."
        )

    def test_the_sweeper_has_a_queue_of_its_own(self):
        for name in ("campaigns.tasks.requeue_stuck", "campaigns.tasks.publish_pending"):
            assert app.amqp.router.route({}, name)["queue"].name == "sweeper"
        for name in ("campaigns.tasks.deliver", "campaigns.tasks.deliver_batch"):
            assert app.amqp.router.route({}, name)["queue"].name == "celery"

    def test_a_sends_acceptance_never_waits_behind_deliveries(self):
        route = app.amqp.router.route({}, "campaigns.tasks.accept_posting")
        assert route["queue"].name == "postings"

    @pytest.mark.parametrize(
        "task", [tasks.deliver, tasks.deliver_batch, tasks.send_confirmation, tasks.tell_supporter]
    )
    def test_a_database_error_is_retried_not_dropped(self, task, monkeypatch):
        retries = []
        monkeypatch.setattr(task, "retry", lambda **options: retries.append(options) or Retry())
        for module in (sending, batch, emails):
            for name in ("deliver", "send_confirmation", "tell_supporter_of_failure"):
                if hasattr(module, name):
                    monkeypatch.setattr(module, name, raises(OperationalError("server closed")))
        with pytest.raises(Retry):
            task.run(1)
        assert isinstance(retries[0]["exc"], OperationalError)

    def test_an_interrupted_delivery_resumes_where_it_stopped(self, monkeypatch):
        resume = {"claimed_at": "2026-12-01T03:00:00+00:00", "accepted": {"channel": "cwc"}}
        retries = []
        monkeypatch.setattr(
            tasks.deliver, "retry", lambda **options: retries.append(options) or Retry()
        )
        monkeypatch.setattr(sending, "deliver", raises(sending.Interrupted(resume)))
        with pytest.raises(Retry):
            tasks.deliver.run(1)
        assert retries[0]["kwargs"] == {"resume": resume}

    def test_a_letter_retried_later_starts_afresh_not_from_an_old_resume(self, monkeypatch):
        retries = []
        monkeypatch.setattr(
            tasks.deliver, "retry", lambda **options: retries.append(options) or Retry()
        )
        monkeypatch.setattr(
            sending, "deliver", lambda *args: sending.Outcome(Status.RETRYING, retry_in=5)
        )
        with pytest.raises(Retry):
            tasks.deliver.run(1, resume={"claimed_at": "2026-12-01T03:00:00+00:00"})
        assert retries[0]["kwargs"] == {}
        assert retries[0]["countdown"] == 5

    def test_a_passing_failure_asks_celery_to_retry(self, channels):
        channels(cwc=Channel(DeliveryError("HTTP 503")))
        letter = factories.letter()
        with pytest.raises(Retry):
            tasks.deliver.run(letter.id)

    def test_a_failed_letter_tells_the_supporter(
        self, channels, enqueued, django_capture_on_commit_callbacks
    ):
        channels(cwc=Channel(DeliveryError("HTTP 400", permanent=True)))
        letter = factories.letter()
        with django_capture_on_commit_callbacks(execute=True):
            tasks.deliver.run(letter.id)
        assert enqueued == [("tell_supporter", letter.id)]


@pytest.mark.django_db
class TestTellSupporter:
    def test_the_supporter_gets_the_offices_own_contact_page_and_their_letter(self, mailbox):
        letter = factories.letter(status=Status.FAILED, failure_reason="cwc: HTTP 400: bad office")
        assert tasks.tell_supporter.run(letter.id) is None

        [(recipients, message)] = mailbox.messages
        assert recipients == [letter.supporter.email]
        assert message["Subject"] == (
            f"Your letter to {letter.legislator.display_name} could not be delivered"
        )
        text = message.get_content()
        assert f"Contact page: {letter.legislator.contact_form_url}" in text
        assert f"Phone: {letter.legislator.phone}" in text
        assert letter.body in text
        assert "HTTP 400" not in text  # the technical reason is for staff

    def test_the_members_offices_back_home_are_listed_nearest_first(self, mailbox):
        letter = factories.letter(status=Status.FAILED, failure_reason="cwc: HTTP 400: bad office")
        letter.supporter.city = "Fresno"
        letter.supporter.save()
        for number, (city, phone) in enumerate(
            [("Oakland", "510-555-0100"), ("Fresno", "559-555-0100"), ("Modesto", "")]
        ):
            DistrictOffice.objects.create(
                legislator=letter.legislator, office_id=f"T-{number}", city=city, phone=phone
            )
        tasks.tell_supporter.run(letter.id)
        [(_, message)] = mailbox.messages
        text = message.get_content()
        assert text.index("Their office in Fresno: 559-555-0100") < text.index(
            "Their office in Oakland: 510-555-0100"
        )
        assert "Modesto" not in text  # no phone to call

    def test_a_custom_target_is_given_by_its_email_address(self, mailbox):
        first = factories.letter()
        letter = factories.letter(
            to=factories.custom_target(first.campaign),
            campaign=first.campaign,
            status=Status.FAILED,
        )
        tasks.tell_supporter.run(letter.id)
        [(_, message)] = mailbox.messages
        assert "Email: governor@example.org" in message.get_content()

    def test_a_letter_retried_since_is_not_reported(self, mailbox):
        letter = factories.letter(status=Status.QUEUED)
        assert emails.tell_supporter_of_failure(letter.id) is False
        assert mailbox.messages == []
