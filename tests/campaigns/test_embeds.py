"""The embedded campaign: the whole flow in a frame with no cookies at all,
the CSP that lets only the listed sites frame it, and its source counted."""

import re
import time
import uuid
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client

from campaigns.models import Campaign, Letter, Submission, VisitTally
from campaigns.supporters import frames, page, visits
from legislators.models import Chamber, ZipDistrict
from tests.campaigns.conftest import ADDRESS, BROWSER, member
from tests.factories import campaign as make_campaign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_lookup")]

PARTNER = "https://partner.org"
OURS = "http://testserver"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Frame:
    """A browser that keeps no cookie (as in a cross-site frame) and fails
    the test if we ask it to keep one."""

    def __init__(self):
        self.client = Client(headers={"User-Agent": BROWSER})
        self.html = ""

    def _answer(self, response):
        assert not response.cookies, f"the embed set cookies: {list(response.cookies)}"
        self.client.cookies.clear()
        self.html = response.content.decode()
        return response

    def get(self, url, **headers):
        self.client.cookies.clear()
        return self._answer(self.client.get(url, headers=headers))

    def post(self, url, data, origin=OURS):
        self.client.cookies.clear()
        headers = {"Origin": origin} if origin else {}
        return self._answer(
            self.client.post(url, data | {"csrfmiddlewaretoken": self.token()}, headers=headers)
        )

    def token(self):
        return TOKEN.search(self.html).group(1)

    def letter(self):
        key = re.search(r'name="key" value="([0-9a-f]{32})"', self.html).group(1)
        body = re.search(r'<textarea name="body"[^>]*>\n?(.*?)</textarea>', self.html, re.S)
        subject = re.search(r'name="subject" value="([^"]*)"', self.html).group(1)
        return {"key": key, "subject": subject, "body": body.group(1).replace("&#x27;", "'")}


@pytest.fixture
def embedded(campaign):
    campaign.embed_origins = [PARTNER]
    campaign.save()
    return campaign


def embed_url(campaign):
    return f"/c/{campaign.slug}/embed/"


def start(frame, campaign, referer=f"{PARTNER}/news/", query=""):
    return frame.get(embed_url(campaign) + query, Referer=referer)


def test_the_whole_flow_works_in_a_frame_without_cookies(
    embedded, vermont, django_capture_on_commit_callbacks
):
    frame = Frame()
    first = start(frame, embedded)
    assert first.status_code == 200
    assert f'data-parent-origin="{PARTNER}"' in frame.html
    assert "site-header" not in frame.html and "Find my members" in frame.html

    answer = frame.post(embed_url(embedded), ADDRESS)
    assert answer.status_code == 200
    for name in ("Bernard Sanders", "Peter Welch", "Becca Balint"):
        assert name in frame.html
    assert f'action="/c/{embedded.slug}/embed/send/#error-summary"' in frame.html
    assert "/embed/?host=https%3A%2F%2Fpartner.org&amp;change=1" in frame.html

    with django_capture_on_commit_callbacks(execute=False):
        sent = frame.post(f"/c/{embedded.slug}/embed/send/", frame.letter())
    submission = Submission.objects.get()
    assert sent.status_code == 302
    assert sent["Location"].startswith(f"/c/{embedded.slug}/embed/thanks/{submission.uuid}/")
    assert Letter.objects.count() == 3
    assert submission.source == "partner.org"

    thanks = frame.get(sent["Location"])
    assert thanks.status_code == 200
    assert "Thank you, Maya!" in frame.html
    assert frame.html.count("letter-status status-queued") == 3
    assert f'data-parent-origin="{PARTNER}"' in frame.html
    # The list refreshes itself from the same tokened address.
    refreshed = frame.get(sent["Location"] + "?letters=1")
    assert "data-receipt" in frame.html and "<html" not in frame.html
    assert refreshed.status_code == 200

    visits.flush()
    assert list(VisitTally.objects.values_list("source", "visits")) == [("partner.org", 1)]


def test_a_repeated_send_with_its_token_sends_nothing_twice(embedded, vermont):
    frame = Frame()
    start(frame, embedded)
    frame.post(embed_url(embedded), ADDRESS)
    letter, token = frame.letter(), frame.token()
    first = frame.post(f"/c/{embedded.slug}/embed/send/", letter)
    frame.html = f'<input name="csrfmiddlewaretoken" value="{token}">'
    again = frame.post(f"/c/{embedded.slug}/embed/send/", letter)
    assert again.status_code == 302
    assert again["Location"].split("/")[5] == first["Location"].split("/")[5]
    assert Submission.objects.count() == 1 and Letter.objects.count() == 3


def test_a_tampered_token_is_refused_with_a_clear_message(embedded, vermont):
    frame = Frame()
    start(frame, embedded)
    token = frame.token()
    frame.html = f'<input name="csrfmiddlewaretoken" value="{token[:-2]}xx">'
    answer = frame.post(embed_url(embedded), ADDRESS)
    assert answer.status_code == 400
    assert "We could not read this form&#x27;s details. Please enter them again." in frame.html
    assert not Submission.objects.exists()


def test_an_expired_token_is_refused_with_a_clear_message(embedded, vermont, settings):
    frame = Frame()
    start(frame, embedded)
    later = time.time() + settings.EMBED_FLOW_SECONDS + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        answer = frame.post(embed_url(embedded), ADDRESS)
    assert answer.status_code == 400
    assert "This page was open for a long time" in frame.html
    # The embedding site is still known, so the frame keeps its height.
    assert f'data-parent-origin="{PARTNER}"' in frame.html


def test_another_campaigns_token_is_refused(embedded, vermont):
    other = make_campaign(slug="other", embed_origins=[PARTNER])
    frame = Frame()
    start(frame, other)
    answer = frame.post(embed_url(embedded), ADDRESS)
    assert answer.status_code == 400


def test_a_post_from_another_site_is_refused(embedded, vermont):
    frame = Frame()
    start(frame, embedded)
    answer = frame.post(embed_url(embedded), ADDRESS, origin=PARTNER)
    assert answer.status_code == 403
    assert "This form can only be sent from its own page." in frame.html
    start(frame, embedded)
    assert frame.post(embed_url(embedded), ADDRESS, origin=None).status_code == 403


def test_the_csp_lets_only_the_listed_sites_frame_the_embed(embedded, campaign):
    frame = Frame()
    response = start(frame, embedded)
    assert "frame-ancestors https://partner.org;" in response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    # The campaign's own page, and every other, still refuses every frame.
    page_response = Client().get(campaign.get_absolute_url())
    assert "frame-ancestors 'none'" in page_response["Content-Security-Policy"]
    assert page_response["X-Frame-Options"] == "DENY"


def test_a_campaign_listing_no_site_cannot_be_framed(campaign):
    response = Frame().get(embed_url(campaign))
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_csp_follows_an_edit_of_the_list(embedded):
    embedded.embed_origins = [PARTNER, "https://coalition.example"]
    embedded.save()
    response = start(Frame(), embedded)
    assert (
        "frame-ancestors https://partner.org https://coalition.example;"
        in (response["Content-Security-Policy"])
    )


@pytest.mark.parametrize(
    ("referer", "query", "source"),
    [
        (f"{PARTNER}/news/", "", "partner.org"),
        # The browser's Referer beats the script's word.
        ("https://elsewhere.example/", "?host=https://partner.org", ""),
        # No Referer (a strict referrer policy): the script's word, if listed.
        ("", "?host=https://partner.org&source=newsletter", "partner.org/newsletter"),
        ("", "?host=https://elsewhere.example", ""),
        ("", "?host=https://partner.org&source=bad%20label", "partner.org"),
    ],
)
def test_visits_are_counted_under_a_listed_host_only(embedded, referer, query, source):
    frame = Frame()
    start(frame, embedded, referer=referer, query=query)
    visits.flush()
    assert list(VisitTally.objects.values_list("source", "visits")) == [(source, 1)]
    parent = PARTNER if source else ""
    assert f'data-parent-origin="{parent}"' in frame.html


def test_the_first_view_is_kept_and_filled_per_frame(embedded):
    first, second = Frame(), Frame()
    start(first, embedded)
    with mock.patch(
        "campaigns.supporters.page.render_to_string", wraps=page.render_to_string
    ) as rendered:
        start(second, embedded, referer="", query="")
    # Only the figure's lines, if this figure was not shown before.
    assert {call.args[0] for call in rendered.call_args_list} <= {
        "campaigns/campaign.html#progress"
    }
    assert first.token() != second.token()
    assert 'data-parent-origin=""' in second.html and "mark-" not in second.html
    assert cache.get(f"campaign-embed:{embedded.slug}:en") is not None


def test_the_thanks_page_shows_letters_only_with_its_token(embedded, vermont):
    frame = Frame()
    start(frame, embedded)
    frame.post(embed_url(embedded), ADDRESS)
    sent = frame.post(f"/c/{embedded.slug}/embed/send/", frame.letter())
    tampered = sent["Location"].rstrip("/")[:-3] + "abc/"
    frame.get(tampered)
    assert "Thank you!" in frame.html and "letter-status" not in frame.html
    other = frames.receipt_token(embedded, uuid.UUID(int=1), "")  # another submission's
    frame.get(sent["Location"].rsplit("/", 2)[0] + f"/{other}/")
    assert "letter-status" not in frame.html


def test_a_send_without_a_lookup_says_what_to_do(embedded):
    frame = Frame()
    start(frame, embedded)
    answer = frame.post(f"/c/{embedded.slug}/embed/send/", {"key": "0" * 32})
    assert answer.status_code == 400
    assert "Enter your address first" in frame.html


def test_an_ambiguous_zip_is_settled_in_the_frame(embedded, vermont):
    ZipDistrict.objects.create(zcta="03101", state="NH", district=1)
    ZipDistrict.objects.create(zcta="03101", state="NH", district=2)
    member("P000614", "Chris", "Pappas", Chamber.HOUSE, "NH", district=1)
    member("G000606", "Maggie", "Goodlander", Chamber.HOUSE, "NH", district=2)
    member("S001181", "Jeanne", "Shaheen", Chamber.SENATE, "NH", senate_class=2)
    frame = Frame()
    start(frame, embedded)
    frame.post(
        embed_url(embedded), ADDRESS | {"city": "Manchester", "state": "NH", "zip_code": "03101"}
    )
    assert "Which district are you in?" in frame.html
    assert f'action="/c/{embedded.slug}/embed/district/#error-summary"' in frame.html
    choices = re.findall(r'name="district" id="[^"]+" value="([^"]+)"', frame.html)
    token = frame.token()
    assert frame.post(f"/c/{embedded.slug}/embed/district/", {}).status_code == 400
    assert "Choose your district from the list" in frame.html
    frame.html = f'<input name="csrfmiddlewaretoken" value="{token}">'
    frame.post(f"/c/{embedded.slug}/embed/district/", {"district": choices[1]})
    assert "Maggie Goodlander" in frame.html and "Chris Pappas" not in frame.html
    assert "Send my letter" in frame.html


def test_a_closed_campaign_says_so_in_the_frame_and_sends_nothing(embedded, vermont):
    frame = Frame()
    start(frame, embedded)
    frame.post(embed_url(embedded), ADDRESS)
    letter = frame.letter()
    embedded.status = Campaign.Status.CLOSED
    embedded.save()
    frame.post(f"/c/{embedded.slug}/embed/send/", letter)
    assert "This campaign has closed" in frame.html
    assert not Letter.objects.exists()
    start(frame, embedded)
    assert "This campaign has closed" in frame.html and "Find my members" not in frame.html


def test_the_campaign_page_keeps_its_own_addresses(visitor, campaign, vermont):
    """The step templates the frame shares still point the page at itself."""
    visitor.post(campaign.get_absolute_url(), ADDRESS)
    html = visitor.get(campaign.get_absolute_url()).content.decode()
    assert f'href="/c/{campaign.slug}/?change=1"' in html
    assert f'action="/c/{campaign.slug}/send/#error-summary"' in html
    assert "/embed/" not in html
