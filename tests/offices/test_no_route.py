"""Letters to offices CWC does not reach: by email when the office has an
address, else NO_ROUTE, said on the thank-you page the moment they are sent."""

import logging

import pytest

from campaigns.delivery import sending
from campaigns.models import Letter
from legislators.models import Legislator
from offices.models import Office
from offices.tasks import import_offices
from tests import factories
from tests.campaigns.conftest import letter_form, look_up, tasks_queued

pytestmark = pytest.mark.django_db
Status = Letter.Status


@pytest.fixture
def welch_off_cwc(vermont):
    """Senator Welch's office is not on the Senate's list and has no address."""
    Legislator.objects.filter(bioguide_id="W000800").update(
        phone="202-224-4242", contact_form_url="https://www.welch.senate.gov/contact"
    )
    Office.objects.filter(legislator_id="W000800").update(enrolled=False)


@pytest.mark.usefixtures("offline_lookup", "welch_off_cwc")
def test_a_letter_no_channel_reaches_ends_no_route_at_once_and_the_supporter_is_told(
    visitor, campaign, django_capture_on_commit_callbacks
):
    look_up(visitor, campaign)
    with django_capture_on_commit_callbacks() as callbacks:
        response = visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    # Only the two letters a channel reaches are queued (in one message).
    assert tasks_queued(callbacks) == [
        "campaigns.tasks.deliver_batch",
        "campaigns.tasks.send_confirmation",
    ]
    assert Letter.objects.filter(published_at__isnull=False).count() == 2
    welch = Letter.objects.get(legislator__bioguide_id="W000800")
    assert welch.status == Status.NO_ROUTE
    assert "CWC's office list does not include it" in welch.failure_reason
    assert set(Letter.objects.exclude(pk=welch.pk).values_list("status", flat=True)) == {
        Status.QUEUED
    }

    page = visitor.get(response.url).content.decode()
    assert "No way to reach this office" in page
    assert "This office takes no electronic letters" in page
    assert '<a href="tel:202-224-4242">202-224-4242</a>' in page
    assert '<a href="https://www.welch.senate.gov/contact">its contact page</a>' in page
    assert "0 of 3 sent so far; 1 could not be (see below); the rest are on their way." in page

    Letter.objects.exclude(pk=welch.pk).update(status=Status.DELIVERED)
    page = visitor.get(response.url).content.decode()
    assert "2 of 3 letters sent; 1 could not be" in page
    assert "data-refresh" not in page  # nothing more will change


@pytest.mark.usefixtures("offline_lookup", "welch_off_cwc")
def test_an_address_from_staff_sends_it_by_email_instead(visitor, campaign, settings):
    settings.DELIVERY_CHANNELS = ["cwc", "email"]
    Office.objects.filter(legislator_id="W000800").update(email="letters@welch.example.gov")
    look_up(visitor, campaign)
    visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    assert not Letter.objects.filter(status=Status.NO_ROUTE).exists()


@pytest.mark.usefixtures("cwc_schema")
def test_off_cwc_with_an_address_goes_by_email_to_a_real_mail_server(cwc_server, mailbox, settings):
    settings.DELIVERY_CHANNELS = ["cwc", "email"]
    member = factories.legislator("NV", senate_class=3)
    Office.objects.filter(legislator=member).update(enrolled=False, email="nv@example.gov")
    letter = factories.letter(to=member)

    assert sending.deliver(letter.id).status == Status.DELIVERED
    letter.refresh_from_db()
    assert letter.channel == "email"
    [(recipients, _message)] = mailbox.messages
    assert recipients == ["nv@example.gov"]
    assert cwc_server.requests == 0


@pytest.mark.usefixtures("cwc_schema")
def test_an_office_staff_closed_after_the_letter_was_written_ends_no_route(cwc_server):
    letter = factories.letter()
    Office.objects.filter(legislator=letter.legislator).update(no_route=True)
    assert sending.deliver(letter.id).status == Status.NO_ROUTE
    letter.refresh_from_db()
    assert letter.failure_reason == "Staff marked this office as taking no electronic letters."
    assert cwc_server.requests == 0


@pytest.mark.usefixtures("cwc_schema")
def test_the_cwc_server_refuses_an_office_its_list_does_not_enrol(cwc_server):
    """A directory older than CWC's list: the gateway refuses it, for good."""
    cwc_server.offices = {"HNY03"}
    letter = factories.letter(to=factories.legislator("CA", 12))
    assert sending.deliver(letter.id).status == Status.REJECTED
    letter.refresh_from_db()
    assert letter.failure_reason == (
        "cwc: CWC rejected the message (HTTP 400): MemberOffice HCA12 is not an active office"
    )
    assert cwc_server.received == [] and cwc_server.refused == [letter.uuid.hex]


@pytest.mark.usefixtures("cwc_schema")
def test_the_message_carries_the_code_of_the_list(cwc_server):
    """The Senate code comes from the list even where a formula would differ."""
    member = factories.legislator("CA", senate_class=3)
    Office.objects.filter(legislator=member).update(cwc_code="SCA01")
    cwc_server.offices = {"SCA01"}
    letter = factories.letter(to=member)
    assert sending.deliver(letter.id).status == Status.DELIVERED
    assert cwc_server.received == [letter.uuid.hex]


def test_the_weekly_task_skips_unset_lists_and_says_so(settings, caplog):
    settings.CWC_HOUSE_OFFICES_SOURCE = settings.CWC_SENATE_OFFICES_SOURCE = ""
    with caplog.at_level(logging.INFO, logger="offices.tasks"):
        assert import_offices.apply().get() == []
    assert "skipped, CWC_HOUSE_OFFICES_SOURCE and CWC_SENATE_OFFICES_SOURCE are not set" in (
        caplog.text
    )


def test_the_weekly_task_reads_the_configured_list(settings, tmp_path):
    member = factories.legislator("AK", 0)
    Office.objects.all().delete()
    (tmp_path / "house.txt").write_text("HAK00\n")
    settings.CWC_HOUSE_OFFICES_SOURCE = str(tmp_path / "house.txt")
    settings.CWC_SENATE_OFFICES_SOURCE = ""
    assert import_offices.apply().get() == ["house"]
    assert Office.objects.get(legislator=member).enrolled


@pytest.mark.usefixtures("offline_lookup", "welch_off_cwc")
def test_the_tallies_count_letters_with_no_route_as_a_recount_would(visitor, campaign):
    from campaigns import tallies

    look_up(visitor, campaign)
    visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    counted = (
        tallies.letters_in(campaign, [Status.NO_ROUTE]),
        tallies.letters_in(campaign, [Status.QUEUED]),
    )
    assert counted == (1, 2)
    tallies.rebuild()
    assert (
        tallies.letters_in(campaign, [Status.NO_ROUTE]),
        tallies.letters_in(campaign, [Status.QUEUED]),
    ) == counted
