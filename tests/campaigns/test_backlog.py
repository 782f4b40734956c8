"""The delivery backlog for staff: letters waiting per chamber, the rate per
channel, the time to drain, the oldest letter; on the overview and in
`campaign_stats --json`."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import Letter
from campaigns.permissions import ORGANIZERS_GROUP
from campaigns.stats import delivery_backlog
from tests import factories

pytestmark = pytest.mark.django_db

Status = Letter.Status


@pytest.fixture
def now():
    """The time the test's letters are made relative to: the command reads
    the clock itself, so it must be now, not when the module was imported."""
    return timezone.now()


def some(count, campaign, office, status, **fields):
    for _ in range(count):
        factories.letter(campaign, office, status=status, **fields)


def delivered(count, campaign, office, channel, ago, now):
    for number in range(count):
        factories.letter(
            campaign,
            office,
            status=Status.DELIVERED,
            channel=channel,
            provider_id=f"{channel}-{office.pk}-{ago}-{number}",
            delivered_at=now - ago,
        )


@pytest.fixture
def campaign():
    return factories.campaign(slug="clean-water")


@pytest.fixture
def queues(campaign, now):
    """House: 3 waiting, 10 delivered by CWC in the last five minutes.
    Senate: 3 waiting, 4 by CWC and 1 by email lately. A custom target: 1
    waiting, none delivered lately."""
    representative = factories.legislator("TX", 7)
    senator = factories.legislator("TX")
    governor = factories.custom_target(campaign)
    some(2, campaign, representative, Status.QUEUED)
    some(1, campaign, representative, Status.QUEUED, created_at=now - timedelta(hours=2))
    some(2, campaign, senator, Status.RETRYING, created_at=now - timedelta(minutes=30))
    some(1, campaign, senator, Status.SENDING)
    some(1, campaign, governor, Status.QUEUED)
    # Neither waiting nor delivered lately:
    some(1, campaign, representative, Status.FAILED)
    some(1, campaign, representative, Status.UNCONFIRMED, created_at=now - timedelta(days=3))
    delivered(10, campaign, representative, "cwc", ago=timedelta(minutes=2), now=now)
    delivered(4, campaign, senator, "cwc", ago=timedelta(minutes=4), now=now)
    delivered(1, campaign, senator, "email", ago=timedelta(minutes=1), now=now)
    delivered(7, campaign, senator, "cwc", ago=timedelta(minutes=6), now=now)
    delivered(3, campaign, governor, "hand", ago=timedelta(minutes=1), now=now)


def test_letters_waiting_the_rate_and_the_time_to_drain_per_chamber(queues, now):
    house, senate, custom = delivery_backlog(now)

    assert (house.chamber, house.total_waiting, house.waiting[Status.QUEUED]) == ("house", 3, 3)
    assert house.per_minute == {"cwc": 2.0}
    assert house.drain == timedelta(seconds=90)
    assert now - house.oldest >= timedelta(hours=2)

    assert senate.waiting == {Status.QUEUED: 0, Status.RETRYING: 2, Status.SENDING: 1}
    assert senate.per_minute == {"cwc": 0.8, "email": 0.2}
    assert senate.drain == timedelta(minutes=3)
    assert timedelta(minutes=30) <= now - senate.oldest < timedelta(hours=1)

    # Letters handed over in a packet are no channel's rate.
    assert (custom.total_waiting, custom.per_minute, custom.drain) == (1, {}, None)


def test_waiting_letters_per_channel_their_offices_route_them_to(settings, campaign, now):
    """CWC for an enrolled office, email for one CWC does not reach but staff
    gave an address, and for a custom target; none for an office with no route."""
    settings.DELIVERY_CHANNELS = ["cwc", "email"]
    representative = factories.legislator("TX", 7)
    by_email = factories.legislator("TX")
    factories.office(by_email, enrolled=False, email="senator@example.org")
    unreachable = factories.legislator("OH")
    factories.office(unreachable, enrolled=False)
    some(4, campaign, representative, Status.QUEUED)
    some(2, campaign, by_email, Status.QUEUED)
    some(1, campaign, unreachable, Status.RETRYING)
    some(3, campaign, factories.custom_target(campaign), Status.QUEUED)
    delivered(10, campaign, representative, "cwc", ago=timedelta(minutes=1), now=now)

    house, senate, custom = delivery_backlog(now)

    assert house.waiting_per_channel == {"cwc": 4}
    assert house.drain_per_channel == {"cwc": timedelta(minutes=2)}
    assert senate.waiting_per_channel == {"email": 2, "no route": 1}
    assert senate.drain_per_channel == {"email": None, "no route": None}
    assert custom.waiting_per_channel == {"email": 3}


def test_nothing_waiting_drains_at_once(now):
    lanes = delivery_backlog(now)

    assert [(lane.total_waiting, lane.drain, lane.oldest) for lane in lanes] == [
        (0, timedelta(0), None)
    ] * 3


@pytest.mark.parametrize("letters", [1, 20])
def test_three_queries_however_many_letters_and_offices(django_assert_num_queries, letters, now):
    campaign = factories.campaign()
    for _ in range(letters):
        some(1, campaign, factories.legislator("TX", 7), Status.QUEUED)
    # The waiting letters grouped, the recent deliveries grouped, the chambers.
    with django_assert_num_queries(3):
        delivery_backlog(now)


def test_the_backlog_key_of_campaign_stats_json(queues, now):
    out = StringIO()

    call_command("campaign_stats", "clean-water", "--json", stdout=out)

    numbers = json.loads(out.getvalue())["backlog"]
    assert numbers["rate_window_seconds"] == 300
    house, senate, custom = numbers["lanes"]
    assert {key: house[key] for key in house if key != "oldest_waiting_at"} == {
        "chamber": "house",
        "waiting": 3,
        "queued": 3,
        "retrying": 0,
        "sending": 0,
        "delivered_per_minute": 2.0,
        "per_channel_per_minute": {"cwc": 2.0},
        "drain_seconds": 90,
        # The demo's outbox stands in for CWC here.
        "waiting_per_channel": {"outbox": 3},
        "drain_seconds_per_channel": {"outbox": None},
    }
    assert house["oldest_waiting_at"] == (now - timedelta(hours=2)).isoformat()
    assert (senate["waiting"], senate["per_channel_per_minute"], senate["drain_seconds"]) == (
        3,
        {"cwc": 0.8, "email": 0.2},
        180,
    )
    assert (custom["waiting"], custom["drain_seconds"]) == (1, None)


def test_the_text_report_ends_with_the_backlog(queues):
    out = StringIO()

    call_command("campaign_stats", "clean-water", stdout=out)

    text = out.getvalue()
    assert "Backlog (all campaigns; rate over the last 5 minutes)" in text
    rows = {line.split()[0]: line.split()[1:4] for line in text.splitlines()[-3:]}
    assert rows == {
        "house": ["3", "2.0", "1"],  # 1 min
        "senate": ["3", "1.0", "3"],
        "custom": ["1", "0.0", "—"],
    }


def test_staff_see_it_on_the_overview_and_organizers_do_not(client, queues, campaign):
    organizer = User.objects.create_user("owner")
    organizer.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    campaign.owner = organizer
    campaign.save()

    client.force_login(User.objects.create_user("staff", is_staff=True))
    html = client.get("/staff/").content.decode()
    assert "Delivery backlog" in html
    assert "cwc 0.8, email 0.2" in html and "3 min" in html

    client.force_login(organizer)
    assert "Delivery backlog" not in client.get("/staff/").content.decode()
