"""Arbitrary input on the public forms and the release reader: a page or a
message, never a crash. The test client re-raises a view's exception, so an
uncaught one fails here as it would be a 500 in production."""

import itertools
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns import letters
from campaigns.drafting.draft import MAX_SUBJECT, MAX_TITLE, draft_from_facts
from campaigns.drafting.extract import extract
from legislators.models import Chamber, Legislator, ZipDistrict
from tests.campaigns.conftest import ADDRESS, BROWSER, look_up
from tests.security.test_access import RELEASE

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("offline_lookup", "vermont", "no_limits"),
]

FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TRICKY = [
    "",
    " ",
    "\x00",
    "\r\nBcc: victim@example.org",
    "<script>alert(1)</script>",
    "]]>",
    "{first_name}",
    "{__class__}",
    "%s%n",
    "' OR 1=1 --",
    "😀" * 50,
    "\u202e\u200b\ufeff",
    "x" * 5000,
]
# Any text the client can send: every character but lone surrogates, which
# no browser can encode either.
TEXT = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=300),
)


def sometimes(valid):
    return st.one_of(st.just(valid), TEXT)


def without_nul(text):
    # NUL reaches PostgreSQL through the key and ?source=; the two tests at
    # the end pin that, so the fuzzing here can look for anything else.
    return text.replace("\x00", "")


@pytest.fixture
def no_limits():
    # The limits would turn most examples into 429s after the first few.
    with override_settings(
        LOOKUPS_PER_IP_PER_HOUR=0, SENDS_PER_IP_PER_HOUR=0, SENDS_PER_EMAIL_PER_DAY=0
    ):
        yield


def browser():
    return Client(headers={"User-Agent": BROWSER})


@settings(FUZZ, max_examples=60)
@given(form=st.fixed_dictionaries({name: sometimes(value) for name, value in ADDRESS.items()}))
def test_the_address_form(campaign, form):
    response = browser().post(campaign.get_absolute_url(), form | {"website": ""})
    assert response.status_code in (200, 302)


TRACKING = ["source", "utm_source", "utm_medium", "utm_campaign", "change"]


@settings(FUZZ, max_examples=60)
@given(
    pairs=st.lists(
        st.tuples(st.one_of(st.sampled_from(TRACKING), TEXT), TEXT.map(without_nul)), max_size=5
    )
)
def test_the_campaign_page_with_any_query_string(campaign, pairs):
    response = browser().get(f"{campaign.get_absolute_url()}?{urlencode(pairs)}")
    assert response.status_code == 200


_emails = (f"fuzz{n}@example.org" for n in itertools.count())


@settings(FUZZ, max_examples=60)
@given(
    key=sometimes("0" * 32).map(without_nul),
    subject=sometimes("Shelter for families"),
    body=st.one_of(TEXT, TEXT.map("Please fund shelter for the families of our town. {}".format)),
)
def test_the_letter_form(campaign, key, subject, body):
    client = browser()
    look_up(client, campaign, email=next(_emails))
    response = client.post(
        f"/c/{campaign.slug}/send/", {"key": key, "subject": subject, "body": body}
    )
    assert response.status_code in (302, 400)


@FUZZ
@given(district=st.one_of(st.sampled_from(["ocd-division/country:us/state:nh/cd:2"]), TEXT))
def test_the_district_choice(campaign, district):
    ZipDistrict.objects.get_or_create(zcta="03101", state="NH", district=1)
    ZipDistrict.objects.get_or_create(zcta="03101", state="NH", district=2)
    # Each district with its own representative, so the choice matters and is asked.
    for number in (1, 2):
        Legislator.objects.get_or_create(
            bioguide_id=f"N00000{number}",
            defaults={"first_name": "Rep", "last_name": f"NH{number}", "chamber": Chamber.HOUSE,
                      "state": "NH", "district": number, "in_office": True},
        )  # fmt: skip
    client = browser()
    look_up(client, campaign, city="Manchester", state="NH", zip_code="03101")
    response = client.post(f"/c/{campaign.slug}/district/", {"district": district})
    # One of the districts offered moves on; anything else shows the chooser again.
    assert response.status_code == (302 if district.endswith("nh/cd:2") else 400)


@settings(FUZZ, max_examples=100)
@given(token=TEXT, method=st.sampled_from(["get", "post"]))
def test_the_confirmation_link(campaign, token, method):
    response = getattr(browser(), method)(f"/c/{campaign.slug}/confirm/{quote(token, safe='')}/")
    assert response.status_code in (400, 404)


@settings(FUZZ, max_examples=100)
@given(token=TEXT, method=st.sampled_from(["get", "post"]))
def test_the_did_the_office_reply_link(token, method):
    response = getattr(browser(), method)(f"/replied/{quote(token, safe='')}/")
    assert response.status_code in (400, 404)


LOOKUP_NAMES = ["street", "city", "state", "zip", "address", "lat", "lon", "format"]


@settings(FUZZ, max_examples=200)
@given(
    pairs=st.lists(
        st.tuples(
            st.one_of(st.sampled_from(LOOKUP_NAMES), TEXT), st.one_of(TEXT, st.just("05401"))
        ),
        max_size=6,
    ),
    htmx=st.booleans(),
)
def test_the_lookup_endpoint(pairs, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = Client().get("/lookup/?" + urlencode(pairs), headers=headers)
    assert response.status_code in (200, 400)


# Release-like lines, so the extractor reaches its rules and not only its
# "nothing found" path.
RELEASE_LINES = [
    *RELEASE.splitlines(),
    "FOR IMMEDIATE RELEASE",
    "Contact: Jane Doe, jane@example.org, (202) 555-0100",
    '"We need action now," said Dr. Ana {legislator_name} Ruiz, director of {Group}.',
    "The coalition urges the Senate and Governor Newsom to reject S. 99 and H.R. 12.",
    "###",
    "-30-",
]
RELEASES = st.lists(st.one_of(st.sampled_from(RELEASE_LINES), TEXT), max_size=25).map("\n".join)


@settings(FUZZ, max_examples=300)
@given(text=RELEASES)
def test_the_release_reader_always_drafts_a_valid_template(text):
    draft = draft_from_facts(extract(text))
    letters.validate_template(draft.letter_subject, label="The subject")
    letters.validate_template(draft.letter_body)
    assert len(draft.title) <= MAX_TITLE
    assert len(draft.letter_subject) <= MAX_SUBJECT


def test_a_release_with_no_headline_still_becomes_a_draft(client):
    client.force_login(User.objects.create_superuser("root"))
    text = "Clean water now. The Alliance urges Congress to pass the Water Act."
    response = client.post("/organize/new/", {"text": text})
    assert response.status_code == 302


# PostgreSQL refuses NUL in text: input that reaches a query unvalidated would be a 500.
def test_a_nul_in_the_letter_key_is_refused(campaign):
    client = browser()
    look_up(client, campaign)
    response = client.post(f"/c/{campaign.slug}/send/", {"key": "\x00", "subject": "x", "body": ""})
    assert response.status_code == 400


def test_a_nul_in_the_source_is_ignored(campaign):
    assert browser().get(campaign.get_absolute_url(), {"source": "\x00"}).status_code == 200
