"""Abuse limits and dedupe beyond tests/campaigns/test_limits.py: forged
headers, the shared counters, one letter per office, an honest page."""

import hashlib
import re
import time

import pytest
from django.core import mail
from django.core.cache import cache, caches
from django.db import IntegrityError
from django.test import Client, override_settings

from campaigns import emails, letters
from campaigns.models import Campaign, Letter, Supporter
from campaigns.supporters import submit
from campaigns.supporters.submit import progress_key
from tests import factories
from tests.campaigns.conftest import ADDRESS, BROWSER, letter_form, look_up, tasks_queued
from tests.security.conftest import sent_letters

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_lookup")]


def browser():
    return Client(headers={"User-Agent": BROWSER})


def test_lookup_counters_are_in_the_shared_cache_and_name_no_one(visitor, campaign, vermont):
    look_up(visitor, campaign)
    digest = hashlib.sha256(b"lookup-ip:127.0.0.1").hexdigest()[:32]
    key = f"throttle:lookup-ip:{digest}:3600:{int(time.time() // 3600)}"
    # A connection of its own, as another web process would have.
    assert caches.create_connection("default").get(key) == 1


@override_settings(LOOKUPS_PER_IP_PER_HOUR=2)
def test_a_forged_forwarded_for_does_not_reset_the_limit(visitor, campaign, vermont):
    # Not behind a proxy, the header is the client's own invention.
    statuses = [
        visitor.post(
            campaign.get_absolute_url(), ADDRESS, headers={"X-Forwarded-For": f"198.51.100.{n}"}
        ).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]


@override_settings(LOOKUPS_PER_IP_PER_HOUR=1, BEHIND_PROXY=True)
def test_behind_the_proxy_only_its_own_hop_counts(visitor, campaign, vermont):
    # The client can write anything before the address our proxy appends.
    first = {"X-Forwarded-For": "10.0.0.1, 203.0.113.9"}
    second = {"X-Forwarded-For": "10.0.0.2, 203.0.113.9"}
    assert visitor.post(campaign.get_absolute_url(), ADDRESS, headers=first).status_code == 302
    assert visitor.post(campaign.get_absolute_url(), ADDRESS, headers=second).status_code == 429


@override_settings(SENDS_PER_EMAIL_PER_DAY=1)
def test_the_email_limit_ignores_capital_letters(campaign, vermont):
    maya = browser()
    sent_letters(maya, campaign)
    factories.custom_target(
        campaign, name="Governor", salutation="Governor Scott", email="g@vt.test"
    )
    look_up(maya, campaign, email="MAYA@EXAMPLE.ORG")
    response = maya.post(f"/c/{campaign.slug}/send/", letter_form(maya, campaign))
    assert response.status_code == 429
    assert Letter.objects.count() == 3


def test_the_database_refuses_a_second_letter_to_the_same_office(campaign, vermont):
    sent_letters(browser(), campaign)
    first = Letter.objects.filter(legislator__isnull=False).first()
    with pytest.raises(IntegrityError):
        Letter.objects.create(
            campaign=campaign,
            submission=first.submission,
            supporter=first.supporter,
            legislator=first.legislator,
            subject=first.subject,
            salutation=first.salutation,
            body=first.body,
        )


def test_a_second_post_with_a_new_key_writes_to_no_one_twice(campaign, vermont):
    sent_letters(browser(), campaign)
    supporter = Supporter.objects.get()
    fields = {name: getattr(supporter, name) for name in ADDRESS if name != "phone"}
    outcome = submit.submit(
        campaign,
        key="f" * 32,
        supporter=fields | {"phone": ""},
        recipients=vermont,
        letter=letters.LetterTemplate("Again", "Dear {legislator_salutation}, again."),
        edited=True,
        context={},
    )
    assert outcome.sent == []
    assert Letter.objects.count() == 3


def test_the_page_and_the_thanks_say_what_really_happened(campaign, vermont):
    campaign.require_confirmation = True
    campaign.show_count_from = 1
    campaign.save()
    supporter = browser()
    thanks_url = sent_letters(supporter, campaign)["Location"]

    public = browser().get(campaign.get_absolute_url()).content.decode()
    assert "letters sent" not in public  # none confirmed yet, so no count at all
    assert supporter.get(thanks_url).content.decode().count("Waiting for your confirmation") == 3

    balint, sanders, welch = Letter.objects.order_by("salutation")
    Letter.objects.filter(pk=sanders.pk).update(status=Letter.Status.DELIVERED)
    Letter.objects.filter(pk=welch.pk).update(status=Letter.Status.FAILED)
    Letter.objects.filter(pk=balint.pk).update(status=Letter.Status.QUEUED)
    thanks = supporter.get(thanks_url).content.decode()
    for status in ("delivered", "failed", "queued"):
        assert f"letter-status status-{status}" in thanks
    assert "We could not send this letter, though we tried several times." in thanks
    cache.delete(progress_key(campaign.pk))  # the page keeps its figure for a minute
    public = browser().get(campaign.get_absolute_url()).content.decode()
    assert "<strong>2</strong> letters sent." in public  # the failed one is not counted


@override_settings(LOOKUPS_PER_IP_PER_HOUR=2)
def test_the_lookup_endpoint_is_limited_per_ip(client, vermont):
    statuses = [client.get("/lookup/", {"zip": "05401"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def step_two(client, campaign, email):
    """The letter step as `client` sees it after typing `email`, minus what
    differs on every page (tokens and form keys)."""
    look_up(client, campaign, email=email, first_name="Eve", street="1 Other Rd")
    page = client.get(campaign.get_absolute_url()).content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    page = re.sub(r'name="key" value="[0-9a-f]{32}"', "", page)
    return re.sub(r'nonce="[^"]*"', "", page)


def test_typing_someone_elses_email_reveals_nothing(campaign, vermont):
    sent_letters(browser(), campaign)
    with_used_email = step_two(browser(), campaign, ADDRESS["email"])
    with_new_email = step_two(browser(), campaign, "nobody-yet@example.org")
    assert "already written" not in with_used_email
    assert "Send my letters" in with_used_email  # the letter form, as for anyone
    assert with_used_email == with_new_email


def test_a_stranger_cannot_change_who_signs_queued_letters(
    campaign, vermont, django_capture_on_commit_callbacks
):
    sent_letters(browser(), campaign)
    factories.custom_target(
        campaign, name="Governor", salutation="Governor Scott", email="g@vt.test"
    )
    stranger = browser()
    look_up(stranger, campaign, first_name="Eve", last_name="Forger", street="1 Other Rd")
    form = letter_form(stranger, campaign) | {"subject": "Forged subject"}
    with django_capture_on_commit_callbacks() as queued:
        response = stranger.post(f"/c/{campaign.slug}/send/", form)
    # Answered as a send is, with a thank-you page...
    assert response.status_code == 302
    assert stranger.get(response["Location"]).status_code == 200
    # ...but nothing is sent or changed in Maya's name, not even to the
    # office she has not written to, and she hears of the attempt.
    assert Campaign.objects.get().letters.count() == 3
    assert set(Supporter.objects.values_list("first_name", "last_name")) == {("Maya", "Ortiz")}
    assert tasks_queued(queued) == ["campaigns.tasks.tell_owner_of_repeat"]
    emails.tell_owner_of_repeat(campaign.pk, "maya@example.org")
    [message] = mail.outbox
    assert message.to == ["maya@example.org"]
    assert "sent nothing more and changed nothing in your name" in message.body
