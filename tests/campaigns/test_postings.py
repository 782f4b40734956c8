"""A send as one row and one task: the request writes a Posting and
publishes its task; a worker accepts it, writing the supporter and the
letters. What the request answered must hold whatever the worker does,
whenever it does it, and however many times."""

from datetime import timedelta
from functools import partial
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from campaigns import letters, tasks
from campaigns.delivery import pending, queue
from campaigns.models import Letter, Posting, Submission, Supporter
from campaigns.supporters import acceptance, submit
from config.celery import app
from tests.campaigns.conftest import ADDRESS, BROWSER, letter_form, look_up
from tests.campaigns.test_embeds import Frame, embed_url, start
from tests.support.concurrency import at_once

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_lookup")]


def send(client, campaign, form=None):
    return client.post(f"/c/{campaign.slug}/send/", form or letter_form(client, campaign))


def posted(campaign, recipients, key, email="maya@example.org"):
    """A posting as the request writes it, for the worker's side alone."""
    return submit.post(
        campaign,
        key=key,
        supporter={name: ADDRESS[name] for name in ADDRESS} | {"email": email, "language": "en"},
        recipients=recipients,
        letter=letters.LetterTemplate("Shelter for families", "Dear {legislator_salutation}, hi."),
        edited=False,
        context={},
    )


@pytest.mark.pending_postings
def test_the_request_writes_one_posting_and_no_letters(visitor, campaign, vermont):
    look_up(visitor, campaign)
    response = send(visitor, campaign)
    posting = Posting.objects.get()
    assert response.status_code == 302
    assert response.url == f"/c/{campaign.slug}/thanks/{posting.uuid}/"
    assert posting.accepted_at is None and posting.letters == 3
    assert not Supporter.objects.exists() and not Letter.objects.exists()
    assert posting.payload["supporter"]["email"] == "maya@example.org"


@pytest.mark.pending_postings
def test_the_same_post_again_while_pending_and_after_answers_as_the_first(
    visitor, campaign, vermont
):
    look_up(visitor, campaign)
    form = letter_form(visitor, campaign)
    first = send(visitor, campaign, form)
    again = send(visitor, campaign, form)
    assert again.url == first.url and Posting.objects.count() == 1

    acceptance.accept(Posting.objects.get().id)
    after = send(visitor, campaign, form)
    assert after.url == first.url
    assert Posting.objects.count() == 1 and Submission.objects.count() == 1
    assert Letter.objects.count() == 3
    assert str(Submission.objects.get().uuid) in first.url


@pytest.mark.pending_postings
def test_accepting_twice_writes_nothing_twice(campaign, vermont):
    posting = posted(campaign, vermont, "a" * 32)
    first = acceptance.accept(posting.id)
    assert len(first.sent) == 3
    assert acceptance.accept(posting.id) is None
    assert Submission.objects.count() == 1 and Letter.objects.count() == 3
    posting.refresh_from_db()
    # Accepted: the address lives on in the supporter only.
    assert posting.accepted_at is not None and posting.payload == {}
    assert Submission.objects.get().uuid == posting.uuid


@pytest.mark.pending_postings
def test_what_the_broker_did_not_take_at_acceptance_is_left_for_the_sweep(
    campaign, vermont, django_capture_on_commit_callbacks
):
    posting = posted(campaign, vermont, "a" * 32)
    with (
        mock.patch.object(app, "send_task", side_effect=ConnectionError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        acceptance.accept(posting.id)
    assert Letter.objects.filter(published_at__isnull=False).count() == 0
    assert Submission.objects.get().confirmation_queued_at is None
    later = timezone.now() + timedelta(hours=1)
    assert len(pending.unpublished_letters(now=later)) == 3
    assert pending.unqueued_confirmations(now=timezone.now() + timedelta(minutes=5)) == [
        Submission.objects.get().id
    ]


@pytest.mark.pending_postings
def test_a_second_posting_skips_offices_the_supporter_wrote_to(campaign, vermont):
    first = posted(campaign, vermont[:2], "a" * 32)
    second = posted(campaign, vermont, "b" * 32)
    acceptance.accept(first.id)
    outcome = acceptance.accept(second.id)
    assert [letter.legislator for letter in outcome.sent] == [vermont[2]]
    assert Letter.objects.count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.pending_postings
def test_two_postings_accepted_at_once_write_each_office_once(campaign, vermont):
    """Two tabs sent the same supporter's letter before any worker ran; two
    workers accept them at the same moment."""
    postings = [posted(campaign, vermont, key * 32) for key in "ab"]
    at_once(*[partial(acceptance.accept, posting.id) for posting in postings])
    assert Posting.objects.filter(accepted_at__isnull=True).count() == 0
    assert Supporter.objects.count() == 1 and Submission.objects.count() == 2
    offices = sorted(Letter.objects.values_list("legislator_id", flat=True))
    assert offices == sorted(member.id for member in vermont)


@pytest.mark.pending_postings
def test_a_task_lost_before_the_broker_is_handed_over_by_the_sweep(
    visitor, campaign, vermont, django_capture_on_commit_callbacks
):
    look_up(visitor, campaign)
    with (
        mock.patch.object(app, "send_task", side_effect=ConnectionError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = send(visitor, campaign)
    # The supporter is thanked: the row is safe.
    assert response.status_code == 302
    posting = Posting.objects.get()
    assert pending.unaccepted_postings() == []  # within the grace period

    Posting.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert pending.unaccepted_postings() == [posting.id]
    with mock.patch.object(app, "send_task") as send_task:
        tasks.publish_pending()
    assert [call.args[:2] for call in send_task.call_args_list] == [(queue.ACCEPT, (posting.id,))]
    posting.refresh_from_db()
    assert posting.published_at is not None
    # Handed over: not again until another grace period has passed.
    assert pending.unaccepted_postings() == []

    tasks.accept_posting(posting.id)
    later = timezone.now() + timedelta(hours=1)
    assert pending.unaccepted_postings(now=later) == []
    assert Letter.objects.count() == 3


@pytest.mark.pending_postings
def test_the_thank_you_page_says_the_letters_are_coming_then_shows_them(visitor, campaign, vermont):
    look_up(visitor, campaign)
    thanks_url = send(visitor, campaign).url
    page = visitor.get(thanks_url).content.decode()
    assert "Thank you, Maya!" in page
    assert "Your letters are being prepared." in page
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "letter-status" not in page

    acceptance.accept(Posting.objects.get().id)
    page = visitor.get(thanks_url).content.decode()
    assert "Your letters are being prepared." not in page
    assert 'http-equiv="refresh"' not in page
    assert page.count("letter-status") == 3


@pytest.mark.pending_postings
def test_another_browser_sees_nothing_of_a_pending_posting(visitor, campaign, vermont):
    look_up(visitor, campaign)
    thanks_url = send(visitor, campaign).url
    page = Client(headers={"User-Agent": BROWSER}).get(thanks_url).content.decode()
    assert "Thank you!" in page and "Maya" not in page and "being prepared" not in page


@pytest.mark.pending_postings
def test_the_frame_s_thank_you_page_refreshes_itself_until_the_letters_exist(campaign, vermont):
    campaign.embed_origins = ["https://partner.org"]
    campaign.save()
    frame = Frame()
    start(frame, campaign)
    frame.post(embed_url(campaign), ADDRESS)
    sent = frame.post(f"/c/{campaign.slug}/embed/send/", frame.letter())
    frame.get(sent["Location"])
    assert "Your letters are being prepared." in frame.html
    assert '<meta http-equiv="refresh" content="2">' in frame.html

    acceptance.accept(Posting.objects.get().id)
    frame.get(sent["Location"])
    assert "being prepared" not in frame.html and frame.html.count("letter-status") == 3


@pytest.mark.pending_postings
def test_the_daily_cap_counts_letters_not_yet_written(visitor, campaign, vermont):
    campaign.daily_letter_cap = 3
    campaign.save()
    look_up(visitor, campaign)
    assert send(visitor, campaign).status_code == 302
    other = Client(headers={"User-Agent": BROWSER})
    look_up(other, campaign, email="friend@example.org")
    response = send(other, campaign)
    assert response.status_code == 429
    assert "reached its limit of letters for today" in response.content.decode()
    assert Posting.objects.count() == 1


@pytest.mark.pending_postings
def test_a_posting_no_worker_can_accept_fails_visibly_and_keeps_no_address(
    visitor, campaign, vermont, caplog
):
    campaign.daily_letter_cap = 3
    campaign.save()
    look_up(visitor, campaign)
    thanks_url = send(visitor, campaign).url
    posting = Posting.objects.get()

    with mock.patch.object(acceptance, "build", side_effect=ValueError("a bug in the worker")):
        tasks.accept_posting(posting.id)

    posting.refresh_from_db()
    assert posting.failed_at is not None and posting.accepted_at is None
    assert posting.failure_reason == "ValueError: a bug in the worker"
    assert posting.payload == {}
    assert f"Posting {posting.id} cannot be accepted" in caplog.text
    page = visitor.get(thanks_url).content.decode()
    assert "We could not prepare your letters, and none were sent." in page
    assert 'http-equiv="refresh"' not in page and "being prepared" not in page
    # Beat's sweep leaves it, and its letters no longer hold the cap's room.
    later = timezone.now() + timedelta(hours=1)
    assert pending.unaccepted_postings(now=later) == []
    other = Client(headers={"User-Agent": BROWSER})
    look_up(other, campaign, email="friend@example.org")
    assert send(other, campaign).status_code == 302


@pytest.mark.pending_postings
def test_a_passing_database_error_is_retried_not_failed(campaign, vermont):
    posting = posted(campaign, list(vermont), key="k" * 32)
    with (
        mock.patch.object(acceptance, "build", side_effect=OperationalError("connection lost")),
        pytest.raises(OperationalError),
    ):
        tasks.accept_posting(posting.id)  # raised for Celery to retry
    posting.refresh_from_db()
    assert posting.failed_at is None and posting.payload
