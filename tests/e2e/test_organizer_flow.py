"""An organizer goes from a pasted press release to a live campaign page."""

import pytest
from django.contrib.auth.models import Group, User

from campaigns.models import Campaign
from campaigns.permissions import ORGANIZERS_GROUP
from tests.campaigns.test_organizer_views import RELEASE
from tests.e2e.conftest import screenshot, serious_accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def organizer():
    user = User.objects.create_user("olivia", password="correct horse battery")
    user.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    return user


def test_release_to_live_page(live_server, page, organizer):
    page.goto(f"{live_server.url}/organize/")
    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="New campaign from a press release").click()
    page.get_by_label("Paste the press release").fill(RELEASE)
    page.get_by_role("button", name="Draft the campaign").click()
    page.wait_for_url("**/organize/*/")
    assert "Here is your draft" in page.content()
    assert page.locator("#id_organization").input_value() == "Harbor Alliance"
    assert "{legislator_salutation}" in page.get_by_label("Letter body").input_value()
    candidates = page.locator(".candidate-asks li")
    assert candidates.count() == 3
    assert "%" in candidates.first.inner_text() and "in the draft" in candidates.first.inner_text()
    assert page.get_by_text("more than a year before today").is_visible()  # a warning
    assert serious_accessibility_violations(page) == []
    screenshot(page, "organizer-1-draft")

    second = candidates.nth(1).locator("form input[name=sentence]").get_attribute("value")
    candidates.nth(1).get_by_role("button", name="Use this ask").click()
    assert "Drafted again around the ask you chose" in page.content()
    assert second in page.locator(".candidate-asks li").first.inner_text()
    screenshot(page, "organizer-1b-other-ask")

    page.locator("#id_title").fill("Pass the Clean Harbors Act")
    page.get_by_role("button", name="Save").click()
    assert "Saved." in page.content()

    page.get_by_role("link", name="Preview").click()
    assert page.get_by_role("heading", name="The letters").is_visible()
    screenshot(page, "organizer-2-preview")
    page.get_by_role("link", name="Back to editing").click()

    page.get_by_role("button", name="Publish").click()
    assert "The campaign is now live." in page.content()
    campaign = Campaign.objects.get()
    assert campaign.status == Campaign.Status.LIVE

    page.get_by_role("link", name="Public page").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Pass the Clean Harbors Act"
    screenshot(page, "organizer-3-live")
    assert page.problems == []
