"""The supporter's page as a phone and a desktop see it: the ask and the
first field on the first screen, errors brought into view, the district
chooser, a thank-you page that updates itself, the organizer's preview;
each checked with axe-core."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from PIL import Image

from campaigns import images
from campaigns.models import Campaign, Letter
from legislators.models import Chamber, ZipDistrict
from tests import factories
from tests.campaigns.conftest import member
from tests.campaigns.test_organizer_views import organizer
from tests.e2e.conftest import screenshot, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUMMARY = (
    "Across our state, thousands of families with children have no safe place to sleep. "
    "Shelters turn families away every night because emergency funding ran out in March, "
    "and the winter ahead will be the hardest in a decade. "
) * 3


@pytest.fixture
def campaign():
    ZipDistrict.objects.create(zcta="05401", state="VT", district=0)
    ZipDistrict.objects.create(zcta="03101", state="NH", district=1)
    ZipDistrict.objects.create(zcta="03101", state="NH", district=2)
    member("S000033", "Bernard", "Sanders", Chamber.SENATE, "VT", senate_class=1)
    member("W000800", "Peter", "Welch", Chamber.SENATE, "VT", senate_class=3)
    member("B001318", "Becca", "Balint", Chamber.HOUSE, "VT", district=0)
    member("S001181", "Jeanne", "Shaheen", Chamber.SENATE, "NH", senate_class=2)
    member("H001076", "Margaret", "Hassan", Chamber.SENATE, "NH", senate_class=3)
    member("P000614", "Chris", "Pappas", Chamber.HOUSE, "NH", district=1)
    member("G000606", "Maggie", "Goodlander", Chamber.HOUSE, "NH", district=2)
    with override_settings(DISTRICT_LOOKUP_BACKENDS=["zipcode"]):
        yield Campaign.objects.create(
            slug="shelter-every-family",
            organization="Harbor Families Coalition",
            title="Tell Congress: fund emergency shelter for every family this winter",
            summary=SUMMARY,
            call_to_action="Ask your members of Congress to restore emergency family shelter "
            "funding before the first freeze.",
            status=Campaign.Status.LIVE,
            letter_subject="Fund emergency family shelter",
            letter_body=(
                "Dear {legislator_salutation},\n\nAs your constituent in {city}, I urge you "
                "to fund emergency shelter for families this winter.\n\nSincerely,\n{full_name}"
            ),
            opt_in_text="Email me about this and other campaigns from Harbor Families Coalition.",
        )


def fill_supporter(page, zip_code="05401", state="VT", city="Burlington"):
    page.get_by_label("First name").fill("Maya")
    page.get_by_label("Last name").fill("Ortiz")
    page.locator("#id_email").fill("maya@example.org")
    page.get_by_label("Street address").fill("12 Elm St")
    page.get_by_label("City").fill(city)
    page.get_by_label("State").select_option(state)
    page.get_by_label("ZIP code").fill(zip_code)
    page.get_by_label("Title").select_option("Ms.")


def on_first_screen(page, locator):
    box = locator.bounding_box()
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= page.viewport_size["height"]
    )


def test_the_ask_and_the_first_field_are_on_the_first_screen(live_server, page, campaign):
    page.goto(f"{live_server.url}{campaign.get_absolute_url()}")
    assert on_first_screen(page, page.locator(".campaign-ask"))
    assert on_first_screen(page, page.get_by_label("First name"))
    assert not page.get_by_label(campaign.opt_in_text).is_checked()
    assert "letters sent" not in page.content()
    assert serious_accessibility_violations(page) == []
    screenshot(page, "page-1-campaign")
    assert page.problems == []


def picture(size, colour, format):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format)
    return SimpleUploadedFile(f"upload.{format.lower()}", buffer.getvalue())


def test_an_image_a_logo_and_progress_toward_a_goal(
    live_server, page, campaign, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    image = images.prepare(picture((2400, 1600), (70, 110, 150), "JPEG"), images.IMAGE)
    campaign.image.save(image.name, image, save=False)
    logo = images.prepare(picture((300, 300), (200, 60, 40), "PNG"), images.LOGO)
    campaign.logo.save(logo.name, logo, save=False)
    campaign.image_alt = "A family outside a closed shelter"
    campaign.goal, campaign.show_count_from = 1000, 100
    campaign.save()
    factories.letters(240, campaign=campaign)
    page.goto(f"{live_server.url}{campaign.get_absolute_url()}")
    assert page.get_by_role("img", name="A family outside a closed shelter").is_visible()
    assert page.locator(".campaign-logo").evaluate("img => img.naturalWidth") > 0
    assert "240 letters sent of a goal of 1,000." in page.locator(".campaign-progress").inner_text()
    assert on_first_screen(page, page.get_by_label("First name"))
    assert serious_accessibility_violations(page) == []
    screenshot(page, "page-1-campaign-with-image")
    assert page.problems == []


def test_errors_are_brought_into_view_and_focused(live_server, page, campaign):
    page.goto(f"{live_server.url}{campaign.get_absolute_url()}")
    page.get_by_label("First name").fill("Maya")
    page.get_by_role("button", name="Find my members").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert on_first_screen(page, page.get_by_role("heading", name="There is a problem"))
    # A link in the summary puts the focus in its field.
    summary.get_by_role("link", name="ZIP code: Enter your ZIP code.").click()
    assert page.evaluate("document.activeElement.id") == "id_zip_code"
    assert page.get_by_label("First name").input_value() == "Maya"
    assert serious_accessibility_violations(page) == []
    page.evaluate("window.scrollTo(0, 0)")
    summary.focus()
    screenshot(page, "page-2-error")
    assert page.problems == []


def test_without_scripts_the_page_lands_on_the_errors(live_server, browser, campaign):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}{campaign.get_absolute_url()}")
    page.get_by_role("button", name="Find my members").click()
    page.wait_for_load_state()
    assert page.url.endswith("#error-summary")
    assert on_first_screen(page, page.get_by_role("heading", name="There is a problem"))
    context.close()


def test_the_district_chooser_shows_each_representative(live_server, page, campaign):
    page.goto(f"{live_server.url}{campaign.get_absolute_url()}")
    fill_supporter(page, zip_code="03101", state="NH", city="Manchester")
    page.get_by_role("button", name="Find my members").click()
    chooser = page.get_by_role("group", name="Choose your district and its representative")
    chooser.wait_for()
    assert chooser.get_by_label("NH-1: Representative Chris Pappas").count() == 1
    assert chooser.get_by_label("NH-2: Representative Maggie Goodlander").count() == 1
    assert serious_accessibility_violations(page) == []
    screenshot(page, "page-3-chooser")
    page.get_by_role("button", name="This is my district").click()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    chooser.get_by_label("NH-2: Representative Maggie Goodlander").check()
    page.get_by_role("button", name="This is my district").click()
    page.get_by_role("heading", name="Your letter").wait_for()
    assert "Maggie Goodlander" in page.locator(".members").inner_text()
    assert page.problems == []


def test_the_thank_you_page_updates_itself(live_server, page, campaign):
    page.goto(f"{live_server.url}{campaign.get_absolute_url()}")
    fill_supporter(page)
    page.get_by_label(campaign.opt_in_text).check()
    page.get_by_role("button", name="Find my members").click()
    page.get_by_role("button", name="Send my letters").click()
    page.wait_for_url("**/thanks/**")
    assert campaign.title in page.locator("main").inner_text()
    assert "0 of 3 sent so far" in page.locator(".receipt-summary").inner_text()
    assert serious_accessibility_violations(page) == []

    Letter.objects.update(status=Letter.Status.DELIVERED)
    # No reload: site.js fetches the letters again by itself.
    all_sent = "All 3 letters have been sent and accepted for delivery."
    page.get_by_text(all_sent).wait_for(timeout=60_000)
    assert page.locator(".status-delivered").count() == 3
    assert page.locator(".receipt-reload").count() == 0
    screenshot(page, "page-4-thanks")
    assert page.problems == []


def test_the_organizer_preview(live_server, page, campaign):
    campaign.targets = Campaign.Targets.SENATE
    campaign.owner = organizer()
    campaign.release_date = "2026-11-20"
    campaign.save()
    client = Client()
    client.force_login(campaign.owner)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/organize/{campaign.slug}/preview/?zip=03101")
    assert sorted(page.locator(".card-header").all_inner_texts()) == [
        "To Senator Hassan · Fund emergency family shelter",
        "To Senator Shaheen · Fund emergency family shelter",
    ]
    assert "Release of November 20, 2026" in page.content()
    assert serious_accessibility_violations(page) == []
    screenshot(page, "page-5-preview")
    assert page.problems == []
