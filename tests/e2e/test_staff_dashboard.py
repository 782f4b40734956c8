"""The staff dashboard in a real Chromium, on a phone and a desktop: it
renders, keeps to the CSP, passes axe, and leaves screenshots to look at."""

from datetime import datetime, time, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from campaigns.models import Event, Letter
from tests import factories
from tests.e2e.conftest import ARTIFACTS, serious_accessibility_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]
SUFFIX = {"desktop": "", "phone": "-phone"}


def busy_campaign():
    """Two weeks of letters to offices in a handful of states."""
    today = timezone.localdate()
    campaign = factories.campaign(
        slug="clean-water",
        title="Clean Water for Every Town",
        created_at=timezone.now() - timedelta(days=20),
    )
    offices = [
        factories.legislator(state, district, official_full_name=name)
        for state, district, name in [
            ("TX", None, "John Cornyn"),
            ("TX", 7, "Lizzie Fletcher"),
            ("CA", None, "Alex Padilla"),
            ("CA", 12, "Lateefah Simon"),
            ("NY", 10, "Dan Goldman"),
            ("FL", None, "Rick Scott"),
            ("OH", 3, "Joyce Beatty"),
            ("WA", 9, "Adam Smith"),
        ]
    ]
    statuses = [Letter.Status.DELIVERED] * 6 + [Letter.Status.RETRYING, Letter.Status.FAILED]
    for days_ago in range(14):
        noon = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(12)))
        for index, office in enumerate(offices[: 2 + (days_ago * 5) % len(offices)]):
            status = statuses[(index + days_ago) % len(statuses)]
            factories.letter(
                campaign,
                office,
                created_at=noon,
                status=status,
                delivered_at=noon + timedelta(minutes=4 + index) if status == "delivered" else None,
                failure_reason="Office rejected the message" if status == "failed" else "",
            )
        for source in ["newsletter"] * 14 + ["twitter"] * 8 + [""] * 6:
            factories.visit(campaign, source=source, created_at=noon)
        factories.event(campaign, Event.Kind.LOOKUP, created_at=noon)
    return campaign


def test_staff_dashboard(page, live_server):
    campaign = busy_campaign()
    client = Client()
    client.force_login(User.objects.create_user("staff", is_staff=True, is_superuser=True))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    page.goto(f"{live_server.url}/staff/{campaign.slug}/")

    assert page.get_by_role("heading", name="Clean Water for Every Town").is_visible()
    assert page.locator("svg.state-map g.tile").count() == 56
    assert page.get_by_role("cell", name="John Cornyn", exact=True).is_visible()
    assert page.problems == []
    assert serious_accessibility_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    suffix = SUFFIX[page.viewport_name]
    page.screenshot(path=ARTIFACTS / f"staff-dashboard{suffix}.png", full_page=True)

    page.goto(f"{live_server.url}/staff/")

    assert page.get_by_role("link", name="Clean Water for Every Town").is_visible()
    assert page.locator("svg.sparkline polyline").count() == 1
    assert page.problems == []
    page.screenshot(path=ARTIFACTS / f"staff-overview{suffix}.png", full_page=True)
