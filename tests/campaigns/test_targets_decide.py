"""Targets decide the questions: a campaign asks for a House district only
when the district changes who gets a letter, and shows only those members."""

import re

import pytest

from campaigns.models import Campaign, Letter
from legislators.models import Chamber, ZipDistrict
from tests.campaigns.conftest import letter_form, look_up, member
from tests.campaigns.test_organizer_views import organizer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_lookup")]


@pytest.fixture
def beverly_hills():
    """ZIP 90210 spans three House districts, as in the real table."""
    for district in (30, 32, 36):
        ZipDistrict.objects.create(zcta="90210", state="CA", district=district)
    return [
        member("P000197", "Adam", "Schiff", Chamber.SENATE, "CA", senate_class=1),
        member("P000145", "Alex", "Padilla", Chamber.SENATE, "CA", senate_class=3),
        member("F000483", "Laura", "Friedman", Chamber.HOUSE, "CA", district=30),
        member("S000344", "Brad", "Sherman", Chamber.HOUSE, "CA", district=32),
        member("L000582", "Ted", "Lieu", Chamber.HOUSE, "CA", district=36),
    ]


CALIFORNIA = {"street": "1 Rodeo Dr", "city": "Beverly Hills", "state": "CA", "zip_code": "90210"}


def test_a_senators_only_campaign_never_asks_for_a_district(visitor, campaign, beverly_hills):
    campaign.targets = Campaign.Targets.SENATE
    campaign.save()
    assert look_up(visitor, campaign, **CALIFORNIA).status_code == 302
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "Which district are you in?" not in page
    assert "Adam Schiff" in page and "Alex Padilla" in page
    for representative in ("Laura Friedman", "Brad Sherman", "Ted Lieu"):
        assert representative not in page

    visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    assert sorted(Letter.objects.values_list("legislator__last_name", flat=True)) == [
        "Padilla",
        "Schiff",
    ]
    assert Letter.objects.first().submission.district_ocd_id == ""


def test_a_house_campaign_still_asks_which_district(visitor, campaign, beverly_hills):
    campaign.targets = Campaign.Targets.HOUSE
    campaign.save()
    look_up(visitor, campaign, **CALIFORNIA)
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "Which district are you in?" in page
    assert len(re.findall(r'name="district"', page)) == 3


def test_chosen_senators_only_settle_a_split_zip(visitor, campaign, beverly_hills):
    campaign.targets = Campaign.Targets.MEMBERS
    campaign.save()
    campaign.target_members.set([beverly_hills[0]])
    look_up(visitor, campaign, **CALIFORNIA)
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "Which district are you in?" not in page
    assert "Adam Schiff" in page and "Alex Padilla" not in page


def test_a_congress_campaign_shows_only_the_members_it_writes_to(visitor, campaign, vermont):
    campaign.targets = Campaign.Targets.HOUSE
    campaign.save()
    look_up(visitor, campaign)
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "Becca Balint" in page
    assert "Bernard Sanders" not in page and "Peter Welch" not in page


def test_the_organizer_preview_agrees_with_a_supporter(client, campaign, beverly_hills):
    campaign.targets = Campaign.Targets.SENATE
    campaign.owner = organizer()
    campaign.save()
    client.force_login(campaign.owner)
    page = client.get(f"/organize/{campaign.slug}/preview/?zip=90210").content.decode()
    assert "To Senator Schiff" in page and "To Senator Padilla" in page
    assert "No letters would be sent" not in page
    assert "Ted Lieu" not in page


def test_a_vacant_seat_is_mentioned_only_if_the_campaign_writes_to_it(visitor, campaign, vermont):
    vermont[2].in_office = False  # the House seat falls vacant
    vermont[2].save()
    look_up(visitor, campaign)
    assert "is vacant" in visitor.get(campaign.get_absolute_url()).content.decode()

    campaign.targets = Campaign.Targets.SENATE
    campaign.save()
    look_up(visitor, campaign)
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "is vacant" not in page and "Bernard Sanders" in page
