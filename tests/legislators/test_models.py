import pytest
from django.conf import settings
from django.test import override_settings

from legislators.models import Legislator
from tests.factories import legislator

pytestmark = pytest.mark.django_db


def test_titles_and_salutations():
    senator = legislator("CA", last_name="Padilla")
    rep = legislator("CA", 12, last_name="Simon")
    delegate = legislator("DC", 0, last_name="Norton")
    commissioner = legislator("PR", 0, last_name="Hernández")
    guam = legislator("GU", 0, last_name="Moylan")
    at_large = legislator("VT", 0, last_name="Balint")
    assert [m.title for m in (senator, rep, delegate, commissioner, guam, at_large)] == [
        "Senator",
        "Representative",
        "Delegate",
        "Resident Commissioner",
        "Delegate",
        "Representative",
    ]
    assert senator.salutation == "Senator Padilla"
    assert commissioner.salutation == "Resident Commissioner Hernández"


def test_names_tolerate_a_missing_official_full_name():
    member = legislator("CA", 1, first_name="James", last_name="Gallagher", official_full_name="")
    assert member.display_name == "James Gallagher"
    assert member.initials == "JG"
    nick = legislator("CA", first_name="Bernard", nickname="Bernie", last_name="Sanders")
    assert nick.display_name == "Bernie Sanders"
    full = legislator(
        "CA", first_name="Adam", last_name="Schiff", official_full_name="Adam B. Schiff"
    )
    assert full.display_name == "Adam B. Schiff"


def test_ocd_ids():
    assert legislator("CA").ocd_id == "ocd-division/country:us/state:ca"
    assert legislator("CA", 12).ocd_id == "ocd-division/country:us/state:ca/cd:12"
    assert legislator("AK", 0).ocd_id == "ocd-division/country:us/state:ak"
    assert legislator("DC", 0).ocd_id == "ocd-division/country:us/district:dc"


def test_photo_url_pattern_is_configurable():
    member = Legislator(bioguide_id="C000127")
    assert member.photo_url == settings.LEGISLATOR_PHOTO_URL.format(bioguide="C000127")
    assert member.photo_url.endswith("/225x275/C000127.jpg")
    with override_settings(LEGISLATOR_PHOTO_URL="https://img.example/{bioguide}.png"):
        assert member.photo_url == "https://img.example/C000127.png"


def test_contact_url_falls_back_to_the_website():
    member = Legislator(website="https://x.house.gov", contact_form_url="")
    assert member.contact_url == "https://x.house.gov"
    member.contact_form_url = "https://x.house.gov/contact"
    assert member.contact_url == "https://x.house.gov/contact"
