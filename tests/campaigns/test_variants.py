"""Letter variants on the supporter's side: the draw, the wording kept for a
browser, the page still served from the cache, the letter and the
submission that come from it, and retiring."""

import itertools
import random
import re
from collections import Counter
from unittest import mock

import pytest
from django.test import Client

from campaigns.models import Submission, Variant, VisitTally
from campaigns.supporters import page, variants, visits
from tests.campaigns.conftest import BROWSER, letter_form, look_up
from tests.support.processes import Redis

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_lookup")]
HEADLINE = re.compile(r'<h1 class="campaign-title">([^<]*)</h1>')


@pytest.fixture(autouse=True)
def new_process(monkeypatch):
    """What a process learned from earlier tests' pages (other campaigns
    under the same slug) would take draws of its own: start afresh."""
    monkeypatch.setattr(page, "_campaign_ids", {})
    monkeypatch.setattr(page, "_wordings", {})


def seeded(*indexes, choices=2):
    """A generator seeded so that its first draws among `choices` wordings
    pick these indexes: the test decides who sees what, deterministically."""
    for seed in itertools.count():
        probe = random.Random(seed)
        if [probe.randrange(choices) for _ in indexes] == list(indexes):
            return random.Random(seed)


def newcomer():
    return Client(headers={"User-Agent": BROWSER})


def headline(response):
    return HEADLINE.search(response.content.decode()).group(1)


@pytest.fixture
def variant_b(campaign):
    return Variant.objects.create(
        campaign=campaign,
        label="B",
        headline="Homes before winter",
        letter_subject="Act before winter comes",
        letter_body=(
            "Dear {legislator_salutation},\n\nWinter is coming to {city}. Please fund "
            "family shelter before the first frost.\n\n{full_name}"
        ),
    )


def test_the_draw_is_even_between_wordings():
    generator = random.Random(2026)
    drawn = Counter(variants.draw((0, 11, 12), generator) for _ in range(6000))
    assert drawn.keys() == {0, 11, 12}
    for count in drawn.values():
        assert count / 6000 == pytest.approx(1 / 3, abs=0.025)
    # The same seed, the same draws.
    first = [variants.draw((0, 11), random.Random(5)) for _ in range(3)]
    assert first == [variants.draw((0, 11), random.Random(5)) for _ in range(3)]


def test_new_visitors_are_split_between_wordings_and_each_keeps_its_own(campaign, variant_b):
    shown = Counter()
    with mock.patch.object(variants, "rng", random.Random(16)):
        for _ in range(60):
            browser = newcomer()
            first = headline(browser.get(campaign.get_absolute_url()))
            shown[first] += 1
            assert {headline(browser.get(campaign.get_absolute_url())) for _ in range(3)} == {first}
    assert shown.keys() == {"Shelter now", "Homes before winter"}
    assert min(shown.values()) >= 15  # 30 each expected; 15 is far in the tail


def test_the_cookie_is_signed_scoped_to_the_campaign_and_only_with_variants(
    campaign, django_capture_on_commit_callbacks
):
    response = newcomer().get(campaign.get_absolute_url())
    assert variants.COOKIE not in response.cookies  # no variants: nothing to keep
    with django_capture_on_commit_callbacks(execute=True):
        Variant.objects.create(campaign=campaign, label="B", headline="Homes before winter")
    with mock.patch.object(variants, "rng", seeded(1)):
        response = newcomer().get(campaign.get_absolute_url())
    cookie = response.cookies[variants.COOKIE]
    assert cookie["path"] == campaign.get_absolute_url() and cookie["httponly"]
    assert headline(response) == "Homes before winter"
    # A forged cookie is no wording: the browser is drawn one.
    forged = newcomer()
    forged.cookies[variants.COOKIE] = "999"
    with mock.patch.object(variants, "rng", seeded(0)):
        assert headline(forged.get(campaign.get_absolute_url())) == "Shelter now"


def test_the_letter_and_the_submission_come_from_the_wording_shown(campaign, variant_b, vermont):
    with mock.patch.object(variants, "rng", seeded(1, 0)):
        with_b, with_a = newcomer(), newcomer()
        with_b.get(campaign.get_absolute_url())
        with_a.get(campaign.get_absolute_url())
    for browser, email in ((with_b, "b@example.org"), (with_a, "a@example.org")):
        look_up(browser, campaign, email=email)
        form = letter_form(browser, campaign)
        browser.post(f"/c/{campaign.slug}/send/", form)
    assert with_b.session[f"campaign:{campaign.uuid.hex}"]["variant"] == variant_b.pk
    sent = {post.supporter.email: post for post in Submission.objects.all()}
    assert sent["b@example.org"].variant == variant_b
    assert sent["b@example.org"].subject == "Act before winter comes"
    assert "Winter is coming to Burlington." in sent["b@example.org"].body
    assert not sent["b@example.org"].edited  # as proposed, so not edited
    assert sent["a@example.org"].variant is None
    assert sent["a@example.org"].subject == "Shelter for families"


def test_the_session_keeps_the_wording_without_the_cookie(campaign, variant_b, vermont):
    """A frame whose cookies other than the session's are lost still keeps it."""
    with mock.patch.object(variants, "rng", seeded(1)):
        browser = newcomer()
        browser.get(campaign.get_absolute_url())
        look_up(browser, campaign)
    del browser.cookies[variants.COOKIE]
    with mock.patch.object(variants, "rng", seeded(0, 0, 0)):
        for _ in range(3):
            assert headline(browser.get(campaign.get_absolute_url())) == "Homes before winter"


def test_visitors_are_counted_per_wording(campaign, variant_b):
    with mock.patch.object(variants, "rng", seeded(0, 1, 1)):
        for _ in range(3):
            newcomer().get(campaign.get_absolute_url())
    visits.flush()
    tallies = {row.variant: row.visits for row in VisitTally.objects.all()}
    assert tallies == {0: 1, variant_b.pk: 2}


def test_a_pending_count_from_before_variants_is_the_control(campaign):
    assert visits.parse(f"{campaign.pk}:2026-12-01:news:letter", 4) == (
        campaign.pk,
        "2026-12-01",
        "news:letter",
        0,
        4,
    )
    assert visits.parse(f"{campaign.pk}:7:2026-12-01:", 2) == (campaign.pk, "2026-12-01", "", 7, 2)


def test_retiring_stops_new_draws_and_moves_holders_on_at_their_next_view(
    campaign, variant_b, vermont, django_capture_on_commit_callbacks
):
    with mock.patch.object(variants, "rng", seeded(1, 1)):
        holder, writer = newcomer(), newcomer()
        for browser, email in ((holder, "h@example.org"), (writer, "w@example.org")):
            browser.get(campaign.get_absolute_url())
            look_up(browser, campaign, email=email)
    form = letter_form(writer, campaign)  # the writer has B's letter in front of them
    assert form["subject"] == "Act before winter comes"

    with django_capture_on_commit_callbacks(execute=True):
        variant_b.retire()
    with mock.patch.object(variants, "rng", seeded(1, 1, 1, 1)):
        for _ in range(4):
            assert headline(newcomer().get(campaign.get_absolute_url())) == "Shelter now"
    # The holder's next view: the control, now kept in their session.
    response = holder.get(campaign.get_absolute_url())
    assert headline(response) == "Shelter now"
    assert 'value="Shelter for families"' in response.content.decode()
    assert holder.session[f"campaign:{campaign.uuid.hex}"]["variant"] == variants.CONTROL
    # The writer sends the letter they were shown, recorded as B's.
    writer.post(f"/c/{campaign.slug}/send/", form)
    post = Submission.objects.get(supporter__email="w@example.org")
    assert (post.variant, post.subject, post.edited) == (variant_b, form["subject"], False)


def test_a_campaign_without_variants_keeps_its_sessions_as_before(campaign, vermont):
    browser = newcomer()
    browser.get(campaign.get_absolute_url())
    look_up(browser, campaign)
    assert "variant" not in browser.session[f"campaign:{campaign.uuid.hex}"]
    assert variants.COOKIE not in browser.cookies


@pytest.mark.skipif(not Redis.available(), reason="redis-server is not installed")
def test_one_kept_page_per_wording_each_served_without_the_database(
    private_redis_cache, campaign, variant_b, django_assert_num_queries
):
    # Each wording's page is rendered once, by the first browser shown it.
    with mock.patch.object(variants, "rng", seeded(0, 1)):
        assert headline(newcomer().get(campaign.get_absolute_url())) == "Shelter now"
        assert headline(newcomer().get(campaign.get_absolute_url())) == "Homes before winter"
    kept = {key: private_redis_cache_get(key) for key in keys(campaign, variant_b)}
    assert all(value is not None for value in kept.values())

    with (
        mock.patch.object(variants, "rng", seeded(1, 0, 1, 0)),
        mock.patch(
            "campaigns.supporters.page.render_to_string", wraps=page.render_to_string
        ) as rendered,
    ):
        for expected in ("Homes before winter", "Shelter now") * 2:
            with django_assert_num_queries(0):
                response = newcomer().get(campaign.get_absolute_url())
            assert headline(response) == expected
            assert response.cookies[variants.COOKIE]["path"] == campaign.get_absolute_url()
    # Never a page; the figure's lines at most, if this figure was not shown before.
    assert {call.args[0] for call in rendered.call_args_list} <= {
        "campaigns/campaign.html#progress"
    }
    visits.flush()
    assert {row.variant: row.visits for row in VisitTally.objects.all()} == {
        0: 3,
        variant_b.pk: 3,
    }


@pytest.mark.skipif(not Redis.available(), reason="redis-server is not installed")
def test_a_retired_wording_is_no_longer_served_from_the_cache(
    private_redis_cache,
    campaign,
    variant_b,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    with mock.patch.object(variants, "rng", seeded(1)):
        browser = newcomer()
        assert headline(browser.get(campaign.get_absolute_url())) == "Homes before winter"
    with django_capture_on_commit_callbacks(execute=True):
        variant_b.retire()
    # The same browser, cookie and all, now sees the control; its cookie,
    # naming no wording shown, is taken back, and the kept page serves it again.
    response = browser.get(campaign.get_absolute_url())
    assert headline(response) == "Shelter now"
    assert response.cookies[variants.COOKIE]["max-age"] == 0
    with django_assert_num_queries(0):
        assert headline(browser.get(campaign.get_absolute_url())) == "Shelter now"
    with mock.patch.object(variants, "rng", seeded(1, 1, 1)):
        for _ in range(3):
            assert headline(newcomer().get(campaign.get_absolute_url())) == "Shelter now"


def keys(campaign, variant):
    return [
        page.page_key(campaign.slug, variants.CONTROL),
        page.page_key(campaign.slug, variant.pk),
    ]


def private_redis_cache_get(key):
    from django.core.cache import cache

    return cache.get(key)
