"""Where each letter stands, reached through the real local CWC and SMTP
servers: sent (with the gateway's answer), rejected, failed after retries;
every attempt in DeliveryAttempt; maintenance windows and the rate limit
pausing a letter without spending an attempt or losing it."""

from datetime import UTC, datetime, timedelta

import pytest
from celery.exceptions import Retry
from django.core import mail

from campaigns import emails, tasks
from campaigns.delivery import clock, sending
from campaigns.models import DeliveryAttempt, Letter
from config import windows
from tests import factories
from tests.support.cwc_server import MAINTENANCE_NOTICE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cwc_schema")]
Status, Outcome = Letter.Status, DeliveryAttempt.Outcome
# A Saturday night in New York, inside the known window.
SATURDAY_NIGHT = datetime(2026, 12, 6, 4, 0, tzinfo=UTC)  # 23:00 EST
WINDOW_ENDS = datetime(2026, 12, 6, 11, 0, tzinfo=UTC)  # Sunday 06:00 EST


@pytest.fixture
def now(monkeypatch):
    """The delivery clock, held still; move it by assigning moment[0]."""
    moment = [SATURDAY_NIGHT]
    monkeypatch.setattr(clock, "now", lambda: moment[0])
    return moment


def attempts(letter):
    return list(DeliveryAttempt.objects.filter(letter=letter).order_by("number"))


def test_a_letter_cwc_accepts_is_sent_with_its_answer_and_one_attempt(cwc_server):
    letter = factories.letter()
    assert sending.deliver(letter.id).status == Status.DELIVERED
    letter.refresh_from_db()
    assert letter.gateway_answer == "HTTP 201: <Success/>"
    assert letter.get_status_display() == "Sent (accepted by the gateway)"
    [attempt] = attempts(letter)
    assert (attempt.number, attempt.channel, attempt.outcome) == (1, "cwc", Outcome.ACCEPTED)
    assert attempt.answer == "HTTP 201: <Success/>" and attempt.duration.total_seconds() > 0


def test_a_letter_cwc_refuses_is_rejected_and_the_supporter_told_so(cwc_server):
    cwc_server.reject = ["Constituent address is outside the district"]
    letter = factories.letter()
    assert sending.deliver(letter.id).status == Status.REJECTED
    letter.refresh_from_db()
    assert letter.failure_reason.endswith("Constituent address is outside the district")
    assert letter.gateway_answer.startswith("HTTP 400")
    [attempt] = attempts(letter)
    assert attempt.outcome == Outcome.REJECTED and "HTTP 400" in attempt.answer
    assert emails.tell_supporter_of_failure(letter.id)
    assert "refused yours, so it did not reach them" in mail.outbox[-1].body


def test_a_letter_that_keeps_meeting_errors_fails_after_its_attempts(cwc_server, settings):
    settings.DELIVERY_MAX_ATTEMPTS = 2
    cwc_server.fail_rate = 1.0
    letter = factories.letter()
    assert sending.deliver(letter.id).status == Status.RETRYING
    assert sending.deliver(letter.id).status == Status.FAILED
    letter.refresh_from_db()
    assert letter.failure_reason.startswith("Gave up after 2 attempts")
    assert [a.outcome for a in attempts(letter)] == [Outcome.ERROR, Outcome.GAVE_UP]
    assert all("HTTP 503" in a.answer for a in attempts(letter))
    assert emails.tell_supporter_of_failure(letter.id)
    assert "We tried several times" in mail.outbox[-1].body


def test_cwcs_own_maintenance_notice_is_kept_as_a_passing_error(cwc_server, settings):
    cwc_server.maintenance = (SATURDAY_NIGHT, WINDOW_ENDS)
    cwc_server.clock = lambda: SATURDAY_NIGHT
    letter = factories.letter()
    assert sending.deliver(letter.id).status == Status.RETRYING
    letter.refresh_from_db()
    assert MAINTENANCE_NOTICE in letter.last_error and cwc_server.received == []


def test_the_mail_servers_reply_is_kept_and_a_refusal_is_a_rejection(mailbox, settings):
    settings.DELIVERY_CHANNELS = ["email"]
    campaign = factories.campaign()
    governor = factories.custom_target(campaign)
    sent = factories.letter(campaign, to=governor)
    refused = factories.letter(campaign, to=governor)
    assert sending.deliver(sent.id).status == Status.DELIVERED
    sent.refresh_from_db()
    assert sent.gateway_answer == "250 Message accepted for delivery"
    mailbox.refuse = "550 5.1.1 No such user"
    assert sending.deliver(refused.id).status == Status.REJECTED
    refused.refresh_from_db()
    assert refused.gateway_answer == "550 5.1.1 No such user"
    assert attempts(refused)[0].channel == "email"


def test_a_worker_lost_mid_attempt_leaves_that_attempt_in_the_history(cwc_server, settings):
    letter = factories.letter()
    claimed_at = sending.claim(letter.id)
    later = claimed_at + timedelta(seconds=settings.DELIVERY_LEASE_SECONDS + 1)
    assert sending.requeue_stuck(now=later) == ([letter.id], [])
    [lost] = attempts(letter)
    assert (lost.number, lost.outcome, lost.started_at) == (1, Outcome.WORKER_LOST, claimed_at)
    assert lost.duration is None
    sending.deliver(letter.id)
    assert [a.outcome for a in attempts(letter)] == [Outcome.WORKER_LOST, Outcome.ACCEPTED]


class TestMaintenanceWindow:
    @pytest.fixture(autouse=True)
    def window(self, settings):
        known = windows.parse("CWC_HOUSE_MAINTENANCE", "Sat 22:00-Sun 06:00 America/New_York")
        settings.DELIVERY_MAINTENANCE = {"cwc-house": known}

    def test_nothing_is_sent_inside_it_nothing_lost_no_attempt_spent(self, cwc_server, now):
        letter = factories.letter()
        outcome = sending.deliver(letter.id)
        assert outcome == sending.Outcome(Status.QUEUED, retry_in=7 * 3600)
        letter.refresh_from_db()
        assert (letter.status, letter.attempts) == (Status.QUEUED, 0)
        assert letter.next_attempt_at == WINDOW_ENDS
        assert cwc_server.requests == 0 and attempts(letter) == []
        # Beat's sweep leaves it be: it is waiting, not stuck.
        assert sending.requeue_stuck(now=now[0] + timedelta(hours=6)) == ([], [])

        now[0] = WINDOW_ENDS
        assert sending.deliver(letter.id).status == Status.DELIVERED
        letter.refresh_from_db()
        assert letter.attempts == 1 and cwc_server.received == [letter.uuid.hex]
        assert [a.number for a in attempts(letter)] == [1]

    def test_the_task_comes_back_when_the_window_ends(self, cwc_server, now, monkeypatch):
        retries = []
        monkeypatch.setattr(
            tasks.deliver, "retry", lambda **options: retries.append(options) or Retry()
        )
        letter = factories.letter()
        with pytest.raises(Retry):
            tasks.deliver.run(letter.id)
        assert retries == [{"kwargs": {}, "countdown": 7 * 3600}]

    def test_the_senate_has_its_own_windows(self, cwc_server, now):
        letter = factories.letter(to=factories.legislator(senate_class=1))
        assert sending.deliver(letter.id).status == Status.DELIVERED


def test_past_the_rate_limit_a_letter_waits_its_turn_without_an_attempt(cwc_server, settings, now):
    settings.CWC_RATE_PER_SECOND = 1
    now[0] = datetime(2026, 12, 1, 9, 0, 0, 250_000, tzinfo=UTC)
    first, second = factories.letter(), factories.letter()
    assert sending.deliver(first.id).status == Status.DELIVERED
    assert sending.deliver(second.id) == sending.Outcome(Status.QUEUED, retry_in=0.75)
    second.refresh_from_db()
    assert (second.status, second.attempts, attempts(second)) == (Status.QUEUED, 0, [])
    now[0] += timedelta(seconds=1)
    assert sending.deliver(second.id).status == Status.DELIVERED
    assert cwc_server.received == [first.uuid.hex, second.uuid.hex]


def test_a_resume_from_before_attempts_were_kept_still_records_the_delivery(cwc_server):
    letter = factories.letter()
    claimed_at = sending.claim(letter.id)
    resume = {
        "claimed_at": claimed_at.isoformat(),
        "accepted": {"channel": "cwc", "provider_id": letter.uuid.hex},
    }
    assert sending.deliver(letter.id, resume).status == Status.DELIVERED
    letter.refresh_from_db()
    assert (letter.provider_id, letter.gateway_answer) == (letter.uuid.hex, "")
    assert cwc_server.requests == 0
