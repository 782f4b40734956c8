"""Floods, bots and caps on the public campaign page."""

import re
from functools import partial

import pytest
from django.core import mail
from django.db import connection
from django.test import Client, override_settings

from campaigns.emails import send_confirmation
from campaigns.models import Letter, Submission
from config import throttle
from tests import factories
from tests.campaigns.conftest import ADDRESS, BROWSER, letter_form, look_up, tasks_queued
from tests.support.concurrency import at_once

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_lookup")]


def test_counter_windows():
    assert throttle.count("w", 60, now=120) == 1
    assert throttle.count("w", 60, now=150) == 2
    assert throttle.count("w", 60, now=180) == 1  # a new minute


def test_allow_stops_at_the_limit_and_zero_means_off():
    assert all(throttle.allow("s", "1.2.3.4", 3, 60) for _ in range(3))
    assert not throttle.allow("s", "1.2.3.4", 3, 60)
    assert throttle.allow("s", "5.6.7.8", 3, 60)  # someone else
    assert all(throttle.allow("s", "1.2.3.4", 0, 60) for _ in range(10))


@override_settings(LOOKUPS_PER_IP_PER_HOUR=2)
def test_lookup_flood_gets_a_friendly_429(visitor, campaign, vermont):
    assert look_up(visitor, campaign).status_code == 302
    assert look_up(visitor, campaign).status_code == 302
    response = look_up(visitor, campaign)
    assert response.status_code == 429
    assert "a lot of address lookups from your connection" in response.content.decode()


@override_settings(SENDS_PER_EMAIL_PER_DAY=1)
def test_one_email_cannot_flood(visitor, campaign, vermont):
    look_up(visitor, campaign)
    visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    factories.custom_target(
        campaign, name="Governor", salutation="Governor Scott", email="g@vt.test"
    )
    response = visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    assert response.status_code == 429
    assert "sent several letters today" in response.content.decode()
    assert Letter.objects.count() == 3


@override_settings(SENDS_PER_IP_PER_HOUR=1, BEHIND_PROXY=True)
def test_ip_limit_reads_the_proxy_header(visitor, campaign, vermont):
    look_up(visitor, campaign)
    forwarded = {"X-Forwarded-For": "203.0.113.9, 198.51.100.7"}
    form = letter_form(visitor, campaign)
    assert visitor.post(f"/c/{campaign.slug}/send/", form, headers=forwarded).status_code == 302

    other = type(visitor)(headers={"User-Agent": "Mozilla/5.0"})
    look_up(other, campaign, email="friend@example.org")
    second = other.post(
        f"/c/{campaign.slug}/send/", letter_form(other, campaign), headers=forwarded
    )
    assert second.status_code == 429
    assert "a lot of letters from your connection" in second.content.decode()


def test_daily_cap_stops_the_campaign_politely(visitor, campaign, vermont):
    campaign.daily_letter_cap = 3
    campaign.save()
    look_up(visitor, campaign)
    visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    other = type(visitor)(headers={"User-Agent": "Mozilla/5.0"})
    look_up(other, campaign, email="friend@example.org")
    response = other.post(f"/c/{campaign.slug}/send/", letter_form(other, campaign))
    assert response.status_code == 429
    assert "reached its limit of letters for today" in response.content.decode()
    assert Letter.objects.count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
@override_settings(SENDS_PER_IP_PER_HOUR=100)
def test_the_daily_cap_holds_when_supporters_send_at_the_same_moment(campaign, vermont):
    """Twelve sends at once against a cap of four: a count then an insert
    would let them all count three or fewer and all insert."""
    campaign.daily_letter_cap = 4
    campaign.targets = campaign.Targets.HOUSE  # one letter a send
    campaign.save()
    supporters = []
    for number in range(12):
        client = Client(headers={"User-Agent": BROWSER})
        look_up(client, campaign, email=f"supporter{number}@example.org")
        supporters.append((client, letter_form(client, campaign)))
    url = f"/c/{campaign.slug}/send/"
    answers = at_once(*[partial(client.post, url, form) for client, form in supporters])
    assert Letter.objects.count() == 4
    assert sorted(answer.status_code for answer in answers) == [302] * 4 + [429] * 8


def test_honeypot_stops_bots(visitor, campaign, vermont):
    response = visitor.post(campaign.get_absolute_url(), ADDRESS | {"website": "http://spam"})
    assert response.status_code == 200
    assert "Please leave the last field empty." in response.content.decode()
    assert "campaign:" + campaign.uuid.hex not in visitor.session or not visitor.session[
        "campaign:" + campaign.uuid.hex
    ].get("lookup")


def test_confirmation_holds_letters_until_the_link_is_used(
    visitor, campaign, vermont, django_capture_on_commit_callbacks
):
    campaign.require_confirmation = True
    campaign.save()
    look_up(visitor, campaign)
    with django_capture_on_commit_callbacks() as callbacks:
        visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    # Only the email: nothing is queued for delivery yet.
    assert tasks_queued(callbacks) == ["campaigns.tasks.send_confirmation"]
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.UNCONFIRMED}

    send_confirmation(Submission.objects.get().id)  # what the queued task does

    message = mail.outbox[-1]
    assert message.subject.startswith("Please confirm your letters")
    link = re.search(r"http://\S+/confirm/\S+/", message.body).group(0)
    path = link.split("localhost:8000", 1)[1]

    # Mail scanners open links: a GET only shows the button.
    assert "Send my letters" in type(visitor)().get(path).content.decode()
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.UNCONFIRMED}

    with django_capture_on_commit_callbacks() as callbacks:
        response = visitor.post(path)
    assert response.status_code == 302
    assert tasks_queued(callbacks) == ["campaigns.tasks.deliver_batch"]  # the three letters
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.QUEUED}
    visitor.post(path)  # a second click changes nothing
    assert Letter.objects.filter(status=Letter.Status.QUEUED).count() == 3


def test_a_forged_confirmation_link_is_refused(visitor, campaign):
    response = visitor.get(f"/c/{campaign.slug}/confirm/not-a-token/")
    assert response.status_code == 400
    assert "This link doesn't work" in response.content.decode()


def test_a_refusal_says_when_to_try_again():
    assert throttle.seconds_left(3600, now=7200 + 1380) == 2220
    assert throttle.wait_phrase(3600, now=7200 + 1380) == "in 37 minutes"
    assert throttle.wait_phrase(3600, now=7200 + 3599) == "in 1 minute"
    assert throttle.wait_phrase(86400, now=86400 + 3600) == "in about 23 hours"


@override_settings(LOOKUPS_PER_IP_PER_HOUR=1)
def test_a_refused_lookup_says_when_and_keeps_what_was_typed(visitor, campaign, vermont):
    look_up(visitor, campaign)
    response = look_up(visitor, campaign, first_name="Maya-Refused")
    page = response.content.decode()
    assert response.status_code == 429
    summary = re.search(r'<div[^>]*id="error-summary".*?</div>', page, re.S).group(0)
    assert re.search(r"Please try again in \d+ minutes?\.", summary)
    assert 'value="Maya-Refused"' in page
    assert 'action="/c/shelter-now/#error-summary"' in page


@override_settings(SENDS_PER_IP_PER_HOUR=1)
def test_a_refused_send_says_when_and_keeps_the_letter(visitor, campaign, vermont):
    look_up(visitor, campaign)
    visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    other = type(visitor)(headers={"User-Agent": "Mozilla/5.0"})
    look_up(other, campaign, email="friend@example.org")
    form = letter_form(other, campaign)
    form["body"] += "\n\nP.S. My own words, kept."
    response = other.post(f"/c/{campaign.slug}/send/", form)
    page = response.content.decode()
    assert response.status_code == 429
    assert re.search(r"Please send it again in \d+ minutes?: your letter is kept below", page)
    assert "P.S. My own words, kept." in page
