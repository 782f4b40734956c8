"""A supporter goes from the campaign URL to queued letters, on a phone and a desktop."""

import pytest
from django.test import override_settings

from campaigns.models import Letter
from tests.e2e.conftest import screenshot, serious_accessibility_violations, shelter_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign():
    with override_settings(DISTRICT_LOOKUP_BACKENDS=["zipcode"]):
        yield shelter_campaign(
            organization_statement="Harbor Families Coalition represents 40 shelters."
        )


def test_supporter_sends_letters(live_server, page, campaign):
    page.goto(f"{live_server.url}/c/{campaign.slug}/?source=e2e")
    assert page.get_by_role("heading", level=1).inner_text() == campaign.title
    assert serious_accessibility_violations(page) == []

    # A mistake first: a ZIP code that is not American.
    page.get_by_label("Title").select_option("Ms.")
    page.get_by_label("First name").fill("Maya")
    page.get_by_label("Last name").fill("Ortiz")
    page.get_by_label("Email").fill("maya@example.org")
    page.get_by_label("Street address").fill("12 Elm St")
    page.get_by_label("City").fill("Burlington")
    page.get_by_label("State").select_option("VT")
    page.get_by_label("ZIP code").fill("SW1A 1AA")
    page.get_by_role("button", name="Find my members").click()
    error = page.locator("#error_1_id_zip_code")
    assert "5-digit US ZIP code" in error.inner_text()
    assert page.get_by_label("ZIP code").get_attribute("aria-invalid") == "true"
    screenshot(page, "supporter-1-error")

    page.get_by_label("ZIP code").fill("05401-1234")
    page.get_by_role("button", name="Find my members").click()
    members = page.locator(".legislator-card")
    assert members.count() == 3
    assert "Becca Balint" in members.nth(2).inner_text()
    body = page.get_by_label("Your letter")
    assert "As your constituent in Burlington" in body.input_value()
    count = page.locator("#letter-count")  # the live count, from site.js
    assert count.inner_text() == f"{len(body.input_value())} of 10,000 characters"
    assert serious_accessibility_violations(page) == []
    screenshot(page, "supporter-2-letter")

    body.fill(body.input_value() + "\nMy own family stayed in a shelter in 2019.")
    page.get_by_role("button", name="Send my letters").dblclick()  # impatient
    page.wait_for_url("**/thanks/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you, Maya!"
    assert page.locator(".letter-status").count() == 3
    assert serious_accessibility_violations(page) == []
    screenshot(page, "supporter-3-thanks")

    assert Letter.objects.count() == 3
    # Each office has a route: none of the letters is told "no way to reach".
    assert not Letter.objects.filter(status=Letter.Status.NO_ROUTE).exists()
    assert all("My own family stayed" in letter.body for letter in Letter.objects.all())
    assert page.problems == []
