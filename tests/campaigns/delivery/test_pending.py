"""Beat's minute sweep: what a broker outage kept back, and letters never confirmed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns import tasks
from campaigns.delivery import pending
from campaigns.emails import CONFIRMATION_WINDOW
from campaigns.models import Letter, Submission
from tests import factories

Status = Letter.Status
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def grace(settings):
    settings.DELIVERY_PUBLISH_GRACE_SECONDS = 120
    return timedelta(seconds=120)


def aged(letter, by):
    Letter.objects.filter(id=letter.id).update(created_at=timezone.now() - by)
    return letter


def test_only_letters_queued_past_the_grace_period_without_a_message(grace):
    unpublished = aged(factories.letter(), grace * 2)
    recent = aged(factories.letter(), grace / 2)  # the web process may be publishing it now
    aged(factories.letter(published_at=timezone.now()), grace * 2)  # on the broker
    aged(factories.letter(status=Status.RETRYING), grace * 2)  # requeue_stuck's
    confirmed_late = aged(factories.letter(next_attempt_at=timezone.now()), grace * 10)
    assert pending.unpublished_letters() == [unpublished.id]
    # A letter confirmed a moment ago is queued since then, not since it was
    # written: its turn comes once the grace period has passed from there.
    later = timezone.now() + grace * 2
    expected = {unpublished.id, recent.id, confirmed_late.id}
    assert set(pending.unpublished_letters(later)) == expected


def test_confirmation_emails_never_handed_over_within_the_window(grace):
    now = timezone.now()
    missed = factories.letter().submission
    factories.letter(submission=factories.submission(missed.campaign))
    queued = factories.letter().submission
    Submission.objects.filter(id=queued.id).update(confirmation_queued_at=now)
    too_old = factories.letter().submission
    no_letters = factories.submission(missed.campaign)  # wrote to no new office
    Submission.objects.filter(id__in=[missed.id, queued.id, no_letters.id]).update(
        created_at=now - grace * 2
    )
    Submission.objects.filter(id=too_old.id).update(created_at=now - CONFIRMATION_WINDOW)
    assert pending.unqueued_confirmations() == [missed.id]


def test_letters_never_confirmed_expire_and_say_so():
    waiting = factories.letter(status=Status.UNCONFIRMED)
    forgotten = aged(factories.letter(status=Status.UNCONFIRMED), CONFIRMATION_WINDOW)
    assert pending.expire_unconfirmed() == 1
    forgotten.refresh_from_db()
    assert forgotten.status == Status.EXPIRED
    assert forgotten.get_status_display() == "Not confirmed in time"
    waiting.refresh_from_db()
    assert waiting.status == Status.UNCONFIRMED


def test_the_sweep_hands_over_and_expires(grace, monkeypatch):
    from config.celery import app

    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, args, **options: sent.append((name, *args)))
    letter = aged(factories.letter(), grace * 2)
    Submission.objects.filter(id=letter.submission_id).update(created_at=timezone.now() - grace * 2)
    forgotten = aged(factories.letter(status=Status.UNCONFIRMED), CONFIRMATION_WINDOW)
    tasks.publish_pending()
    assert sorted(sent) == [
        ("campaigns.tasks.deliver_batch", [letter.id]),
        ("campaigns.tasks.send_confirmation", letter.submission_id),
    ]
    forgotten.refresh_from_db()
    assert forgotten.status == Status.EXPIRED
    tasks.publish_pending()  # handed over once, not every minute
    assert len(sent) == 2
