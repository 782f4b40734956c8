"""The thank-you page: names the campaign, says where each letter stands,
and gives site.js a part of itself to fetch until nothing more will change."""

import pytest

from campaigns.models import Letter, Submission
from tests.campaigns.conftest import letter_form, look_up

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_lookup")]


@pytest.fixture
def thanks_url(visitor, campaign, vermont):
    look_up(visitor, campaign)
    response = visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    return response.url


def test_it_names_the_campaign_and_watches_letters_on_their_way(visitor, thanks_url):
    page = visitor.get(thanks_url).content.decode()
    assert "You wrote to Congress about" in page and "Shelter now" in page
    assert "0 of 3 sent so far; the rest are on their way." in page
    assert f'data-refresh="{thanks_url}?letters=1"' in page
    assert "reload the page" in page


def test_the_part_it_fetches_is_only_the_letters(visitor, thanks_url):
    response = visitor.get(thanks_url + "?letters=1")
    part = response.content.decode()
    assert part.lstrip().startswith('<div class="receipt"')
    assert "<html" not in part and part.count("Queued") == 3


def test_it_says_when_everything_is_sent_and_stops_watching(visitor, thanks_url):
    Letter.objects.update(status=Letter.Status.DELIVERED)
    page = visitor.get(thanks_url).content.decode()
    assert "All 3 letters have been sent and accepted for delivery." in page
    assert page.count("Sent (accepted by the gateway)") == 3
    assert "data-refresh" not in page and "reload the page" not in page


def test_a_failure_is_said_plainly(visitor, thanks_url):
    Letter.objects.update(status=Letter.Status.DELIVERED)
    Letter.objects.filter(salutation="Senator Welch").update(status=Letter.Status.FAILED)
    page = visitor.get(thanks_url).content.decode()
    assert "2 of 3 letters sent; 1 could not be (see below)." in page
    assert "We could not send this letter, though we tried several times." in page
    assert "data-refresh" not in page


def test_a_rejection_is_told_apart_from_a_failure(visitor, thanks_url):
    Letter.objects.update(status=Letter.Status.DELIVERED)
    Letter.objects.filter(salutation="Senator Welch").update(status=Letter.Status.REJECTED)
    page = visitor.get(thanks_url).content.decode()
    assert "2 of 3 letters sent; 1 could not be (see below)." in page
    assert "The office's delivery system refused this letter." in page
    assert "status-rejected" in page and "Rejected" in page


def test_another_browser_sees_no_letters(campaign, thanks_url):
    from django.test import Client

    page = Client().get(thanks_url + "?letters=1").content.decode()
    assert "Senator" not in page and Submission.objects.count() == 1
