"""The organizer chooses committees by name or code and previews who gets a letter."""

import pytest
from django.core.management import call_command

from campaigns.models import Campaign
from committees.models import Committee, CommitteeTargeting
from tests import factories
from tests.campaigns.test_organizer_views import organizer
from tests.conftest import shared_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def olivia(client):
    user = organizer()
    client.force_login(user)
    return user


@pytest.fixture
def committees():
    parent = Committee.objects.create(
        code="SSEG", name="Senate Committee on Energy and Natural Resources", chamber="senate"
    )
    Committee.objects.create(code="SSEG01", name="Water and Power", chamber="senate", parent=parent)
    Committee.objects.create(code="HSJU", name="House Committee on the Judiciary", chamber="house")
    return parent


def found(client, campaign, query):
    page = client.get(f"/organize/{campaign.slug}/committees/", {"q": query}).content.decode()
    return [code for code in ("SSEG01", "SSEG", "HSJU") if f'value="{code}"' in page]


def test_search_by_code_or_words_of_the_name(client, olivia, committees):
    campaign = factories.campaign(owner=olivia)
    assert found(client, campaign, "sseg") == ["SSEG01", "SSEG"]
    assert found(client, campaign, "natural energy") == ["SSEG01", "SSEG"]
    assert found(client, campaign, "water power") == ["SSEG01"]
    assert found(client, campaign, "judiciary") == ["HSJU"]
    page = client.get(f"/organize/{campaign.slug}/committees/", {"q": "Agriculture"})
    assert "No current committee matches “Agriculture”." in page.content.decode()


def test_adding_a_committee_makes_the_campaign_write_to_it(client, olivia, committees):
    campaign = factories.campaign(owner=olivia)
    url = f"/organize/{campaign.slug}/committees/"
    response = client.post(url, {"action": "add", "code": "SSEG"}, follow=True)
    assert "Letters go to members of the Senate Committee on Energy" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.targets == Campaign.Targets.COMMITTEE
    client.post(url, {"action": "write_anyway", "allowed": "on"})
    targeting = CommitteeTargeting.objects.get(campaign=campaign)
    assert targeting.write_anyway is True
    assert list(targeting.committees.values_list("code", flat=True)) == ["SSEG"]
    client.post(url, {"action": "remove", "code": "SSEG"})
    assert not targeting.committees.exists()
    assert client.post(url, {"action": "add", "code": "NOPE"}).status_code == 404


def test_another_organizer_cannot_choose_for_it(client, olivia, committees):
    campaign = factories.campaign(owner=organizer("oscar"))
    url = f"/organize/{campaign.slug}/committees/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "add", "code": "SSEG"}).status_code == 404
    assert not CommitteeTargeting.objects.exists()


def test_preview_with_real_data_says_who_gets_a_letter_and_why(client, olivia, settings):
    """Senate Energy and Natural Resources, previewed from ZIP codes in two states."""
    folder = shared_path("data", "congress-legislators")
    call_command("import_legislators", "--source", str(folder), stdout=None)
    call_command(
        "import_zip_districts", "--source", str(shared_path("data", "zip-districts")), stdout=None
    )
    settings.DISTRICT_LOOKUP_BACKENDS = ["zipcode"]
    campaign = factories.campaign(owner=olivia)
    energy = Committee.objects.get(code="SSEG")
    client.post(f"/organize/{campaign.slug}/committees/", {"action": "add", "code": "SSEG"})
    on_it = list(energy.members.filter(state="NM"))
    assert on_it  # both New Mexico senators sat on it in June 2026

    page = client.get(f"/organize/{campaign.slug}/preview/", {"zip": "87501"}).content.decode()
    for senator in on_it:
        assert f"{senator.salutation}: sits on the Senate Committee on Energy" in page
        assert f"To {senator.salutation} ·" in page
    assert page.count('<div class="card-header">To ') == len(on_it)
    assert "To Representative" not in page
    assert "Representative Leger Fernandez: not on it, so no letter" in page
