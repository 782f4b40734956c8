"""An optional title (with Mx. and none) mapped to what each CWC chamber
accepts, and an opt-in to hear from the organization, recorded with its
time and wording."""

import re

import pytest
from django.utils import timezone
from lxml import etree

from campaigns.delivery.channels.cwc import message, schema
from campaigns.models import Campaign, Supporter
from campaigns.privacy import export_supporter
from campaigns.stats import exports
from campaigns.stats.filters import Filters
from campaigns.supporters.titles import cwc_prefix
from legislators.models import Chamber
from tests import factories
from tests.campaigns.conftest import letter_form, look_up

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_lookup")]

OPT_IN = "Email me about this and other campaigns from Harbor Families."


@pytest.mark.parametrize(
    ("title", "chamber", "sent"),
    [
        ("Mx.", Chamber.HOUSE, "Mx."),
        ("", Chamber.HOUSE, "Mx."),
        ("Dr.", Chamber.HOUSE, "Dr."),
        ("Ms.", Chamber.SENATE, "Ms."),
    ],
)
def test_each_chamber_gets_a_title_it_accepts(title, chamber, sent):
    assert cwc_prefix(title, chamber) == sent


@pytest.mark.parametrize("title", ["", "Mx."])
def test_a_house_letter_without_a_senate_title_is_valid_cwc(title):
    letter = factories.letter()
    letter.supporter.prefix = title
    document = message.build(letter)
    assert etree.fromstring(document).findtext("Constituent/Prefix") == "Mx."
    if schema.available():
        assert schema.validate(document) == []


@pytest.mark.parametrize("title", ["", "Mx."])
def test_a_house_campaign_takes_no_title_or_mx(visitor, campaign, vermont, title):
    campaign.targets = Campaign.Targets.HOUSE
    campaign.save()
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert '<option value="" selected>No title</option>' in page
    assert "receive “Mx.”" in page
    assert look_up(visitor, campaign, prefix=title).status_code == 302
    visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    assert Supporter.objects.get().prefix == title


def test_a_campaign_to_senators_offers_the_titles_they_accept(visitor, campaign, vermont):
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "Senators' offices accept only these five titles." in page
    offered = re.findall(
        r'<option value="([^"]*)"', page.split('name="prefix"')[1].split("</select>")[0]
    )
    assert offered == ["", "Mr.", "Mrs.", "Miss", "Ms.", "Dr."]
    response = look_up(visitor, campaign, prefix="")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_prefix">Title: Choose a title: senators&#x27; offices accept only' in page
    assert look_up(visitor, campaign, prefix="Mx.").status_code == 200  # not on offer


def test_the_opt_in_is_unticked_and_worded_by_the_campaign(
    visitor, campaign, vermont, django_capture_on_commit_callbacks
):
    assert "opt_in" not in visitor.get(campaign.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # a kept page is forgotten
        campaign.opt_in_text = OPT_IN
        campaign.save()
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    box = re.search(r'<input type="checkbox" name="opt_in"[^>]*>', page).group(0)
    assert "checked" not in box
    assert OPT_IN in page


def test_an_opt_in_is_recorded_with_its_time_and_words(visitor, campaign, vermont):
    campaign.opt_in_text = OPT_IN
    campaign.save()
    look_up(visitor, campaign, opt_in="on")
    campaign.opt_in_text = "Changed wording after the supporter ticked the box."
    campaign.save()
    visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    supporter = Supporter.objects.get()
    assert supporter.opt_in_text == OPT_IN
    assert supporter.opted_in_at is not None

    today = timezone.localdate()
    response = exports.supporters_csv(campaign, Filters(today, today))
    rows = [line.decode() for line in response.streaming_content]
    header, row = rows[0].strip().split(","), rows[1]
    assert header[-3:] == ["opted_in_at", "opt_in_text", "created_at"]
    assert OPT_IN in row and str(supporter.opted_in_at.year) in row
    exported = export_supporter(supporter)["supporter"]
    assert (exported["opt_in_text"], exported["opted_in_at"]) == (OPT_IN, supporter.opted_in_at)


def test_no_tick_no_consent(visitor, campaign, vermont):
    campaign.opt_in_text = OPT_IN
    campaign.save()
    look_up(visitor, campaign)
    visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    supporter = Supporter.objects.get()
    assert (supporter.opt_in_text, supporter.opted_in_at) == ("", None)
