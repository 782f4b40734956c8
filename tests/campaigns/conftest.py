"""Fixtures for the supporter's flow: Vermont's members, a live campaign,
the offline ZIP lookup and a visitor with a browser's user agent."""

import re
from unittest import mock

import pytest
from django.db.models.fields.files import FieldFile
from django.test import Client, override_settings

from campaigns.models import Campaign
from config.celery import app
from legislators.models import Chamber, Legislator, ZipDistrict
from tests import factories

ADDRESS = {
    "prefix": "Ms.",
    "first_name": "Maya",
    "last_name": "Ortiz",
    "email": "Maya@Example.org",
    "street": "12 Elm St",
    "city": "Burlington",
    "state": "VT",
    "zip_code": "05401-1234",
    "phone": "",
}
BODY = (
    "Dear {legislator_salutation},\n\n"
    "Please fund shelter for families in {city} and beyond. Thank you.\n\n{full_name}"
)


BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148"


@pytest.fixture
def visitor():
    return Client(headers={"User-Agent": BROWSER})


@pytest.fixture
def offline_lookup():
    with override_settings(DISTRICT_LOOKUP_BACKENDS=["zipcode"]):
        yield


def member(bioguide, first, last, chamber, state, district=None, senate_class=None):
    return factories.office(
        _member(bioguide, first, last, chamber, state, district, senate_class)
    ).legislator


def _member(bioguide, first, last, chamber, state, district, senate_class):
    return Legislator.objects.create(
        bioguide_id=bioguide,
        first_name=first,
        last_name=last,
        chamber=chamber,
        state=state,
        district=district,
        senate_class=senate_class,
        party="Democrat",
        in_office=True,
    )


@pytest.fixture
def vermont():
    ZipDistrict.objects.create(zcta="05401", state="VT", district=0)
    return [
        member("S000033", "Bernard", "Sanders", Chamber.SENATE, "VT", senate_class=1),
        member("W000800", "Peter", "Welch", Chamber.SENATE, "VT", senate_class=3),
        member("B001318", "Becca", "Balint", Chamber.HOUSE, "VT", district=0),
    ]


@pytest.fixture
def campaign():
    return Campaign.objects.create(
        slug="shelter-now",
        title="Shelter now",
        summary="Families need shelter.",
        call_to_action="Write to Congress today.",
        status=Campaign.Status.LIVE,
        letter_subject="Shelter for families",
        letter_body=BODY,
    )


def look_up(client, campaign, **changes):
    return client.post(campaign.get_absolute_url(), ADDRESS | changes)


def letter_form(client, campaign):
    page = client.get(campaign.get_absolute_url()).content.decode()
    key = re.search(r'name="key" value="([0-9a-f]{32})"', page).group(1)
    body = re.search(r'<textarea name="body"[^>]*>\n?(.*?)</textarea>', page, re.S).group(1)
    subject = re.search(r'name="subject" value="([^"]*)"', page).group(1)
    return {"key": key, "subject": subject, "body": body.replace("&#x27;", "'")}


def tasks_queued(callbacks):
    """The Celery tasks the captured on-commit callbacks publish, by name:
    the callbacks run, with the broker left out."""
    with mock.patch.object(app, "send_task") as send_task:
        for callback in callbacks:
            callback()
    return sorted(call.args[0] for call in send_task.call_args_list)


def edit_form_data(page):
    """The organizer's edit form as a browser would post it back, files left out."""
    initial = page.context["form"].initial.items()
    return {k: v for k, v in initial if v is not None and not isinstance(v, FieldFile)}
