"""A campaign with two wordings in a real Chromium: two new browsers are
each shown their own (the draw seeded, so the test decides which), one sends
the letter its wording proposed, and the organizer sees each wording's
figures on the dashboard and retires one."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client, override_settings

from campaigns.models import Submission, Variant
from campaigns.permissions import ORGANIZERS_GROUP
from campaigns.supporters import page as campaign_page
from campaigns.supporters import variants, visits
from tests.campaigns.test_variants import seeded
from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    screenshot,
    serious_accessibility_violations,
    shelter_campaign,
    watched_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign():
    owner = User.objects.create_user("olivia")
    owner.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    with override_settings(DISTRICT_LOOKUP_BACKENDS=["zipcode"]):
        campaign = shelter_campaign(owner=owner)
        Variant.objects.create(
            campaign=campaign,
            label="B",
            headline="No child should sleep in a car",
            letter_subject="Shelter children before the first frost",
            letter_body=(
                "Dear {legislator_salutation},\n\nChildren in {city} are sleeping in cars. "
                "Please fund emergency family shelter before the first frost.\n\n{full_name}"
            ),
        )
        yield campaign


def look_up(tab, url, email):
    tab.goto(url)
    headline = tab.get_by_role("heading", level=1).inner_text()
    tab.get_by_label("Title").select_option("Ms.")
    tab.get_by_label("First name").fill("Maya")
    tab.get_by_label("Last name").fill("Ortiz")
    tab.get_by_label("Email").fill(email)
    tab.get_by_label("Street address").fill("12 Elm St")
    tab.get_by_label("City").fill("Burlington")
    tab.get_by_label("State").select_option("VT")
    tab.get_by_label("ZIP code").fill("05401")
    tab.get_by_role("button", name="Find my members").click()
    return headline, tab.get_by_label("Subject").input_value()


def test_two_wordings_each_shown_sent_and_measured(live_server, browser, campaign, monkeypatch):
    # The live server runs in this process: a seeded draw gives the first
    # new browser the campaign's own wording and the second B.
    monkeypatch.setattr(variants, "rng", seeded(0, 1))
    monkeypatch.setattr(campaign_page, "_campaign_ids", {})
    monkeypatch.setattr(campaign_page, "_wordings", {})
    url = f"{live_server.url}{campaign.get_absolute_url()}"
    phone = browser.new_context(viewport=PHONE, is_mobile=True)
    desktop = browser.new_context(viewport=DESKTOP)
    with_a, with_b = watched_page(phone, "phone"), watched_page(desktop, "desktop")

    with_a.goto(url)
    with_b.goto(url)
    assert with_a.get_by_role("heading", level=1).inner_text() == campaign.title
    assert with_b.get_by_role("heading", level=1).inner_text() == "No child should sleep in a car"
    screenshot(with_a, "variants-1-page-a")
    screenshot(with_b, "variants-1-page-b")

    # Each keeps its wording through the lookup, to the letter it proposes.
    assert look_up(with_a, url, "a@example.org") == (
        "Shelter every family this winter",
        "Fund emergency family shelter",
    )
    assert look_up(with_b, url, "b@example.org") == (
        "No child should sleep in a car",
        "Shelter children before the first frost",
    )
    assert "Children in Burlington are sleeping in cars." in (
        with_b.get_by_label("Your letter").input_value()
    )
    assert serious_accessibility_violations(with_b) == []
    screenshot(with_b, "variants-2-letter-b")
    with_b.get_by_role("button", name="Send my letters").click()
    with_b.wait_for_url("**/thanks/**")
    sent = Submission.objects.get()
    assert (sent.variant.label, sent.subject, sent.edited) == (
        "B",
        "Shelter children before the first frost",
        False,
    )

    # The organizer's dashboard: each wording's figures, too few for an interval.
    visits.flush()  # with Redis as the cache, visits wait there for beat
    client = Client()
    client.force_login(campaign.owner)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    organizer = watched_page(browser.new_context(viewport=DESKTOP), "desktop")
    organizer.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
    )
    organizer.goto(f"{live_server.url}/staff/{campaign.slug}/")
    rows = organizer.locator("tr.variant-row")
    assert rows.count() == 2
    a_cells = rows.nth(0).locator("td").all_inner_texts()
    b_cells = rows.nth(1).locator("td").all_inner_texts()
    # Visitors, submissions, edited, delivered, rejected, failed, conversion, against A.
    assert a_cells[:2] == ["1", "0"] and b_cells[:3] == ["1", "1", "0%"]
    assert b_cells[6:8] == ["not enough data yet", "not enough data yet"]
    assert serious_accessibility_violations(organizer) == []
    organizer.locator("#variants-heading").scroll_into_view_if_needed()
    screenshot(organizer, "variants-3-dashboard")

    organizer.get_by_role("button", name="Retire B").click()
    assert "Variant B is retired" in organizer.locator(".alert").first.inner_text()
    assert "retired" in organizer.locator("tr.variant-row").nth(1).inner_text()
    organizer.goto(f"{live_server.url}/organize/{campaign.slug}/variants/")
    assert serious_accessibility_violations(organizer) == []
    screenshot(organizer, "variants-4-organizer-page")

    # Retired: B's browser is shown the campaign's own wording from now on.
    with_b.goto(url)
    assert with_b.get_by_role("heading", level=1).inner_text() == campaign.title
    for tab in (with_a, with_b, organizer):
        assert tab.problems == []
    for context in (phone, desktop, organizer.context):
        context.close()
