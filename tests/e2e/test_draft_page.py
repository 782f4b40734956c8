"""The organizer's draft page says what extraction is unsure of: the candidate asks to
pick from, how sure each fact is, and warnings. The release is made up."""

import pytest
from django.contrib.auth.models import Group, User

from campaigns.permissions import ORGANIZERS_GROUP
from tests.e2e.conftest import DESKTOP, screenshot, serious_accessibility_violations, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Old, cut short, asking a city council, and mentioning a bill its ask does not name.
RELEASE = """Riverton Parents Ask City Council to Fund School Nurses

Council vote on the budget set for next week

RIVERTON, Ohio (May 2, 2023) – Riverton Parents for Health today urged the Riverton City \
Council to fund a nurse in every public school in next year's budget. Congress passed \
H.R. 1234, the School Health Act, in 2021, but it left staffing to cities.

"Our children deserve a nurse when they are sick at school. We call on the Council to fund \
nurses now," said Ana Ortiz, chair of Riverton Parents for Health.

Eleven of the city's 19 schools have no nurse on site, and the district spends less on \
school health than any"""


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield watched_page(context, "desktop")
    context.close()


def test_the_draft_page_shows_candidates_confidences_and_warnings(live_server, desktop_page):
    page = desktop_page
    user = User.objects.create_user("olivia", password="correct horse battery")
    user.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    page.goto(f"{live_server.url}/organize/new/")
    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Paste the press release").fill(RELEASE)
    page.get_by_role("button", name="Draft the campaign").click()
    page.wait_for_url("**/organize/*/")

    candidates = page.locator(".candidate-asks li")
    assert candidates.count() == 3
    assert "in the draft" in candidates.first.inner_text()
    facts = page.locator("aside")
    assert facts.locator(".confidence").count() >= 4  # headline, date, call to action, targets
    warnings = [text.strip() for text in facts.locator(".alert-warning").all_inner_texts()]
    expected = (
        "not sure this release asks Congress to act: it asks the Riverton City Council",
        "cut short",
        "May 2, 2023, more than a year before today",
        "mentions H.R. 1234",
    )
    for words in expected:
        assert any(words in warning for warning in warnings), (words, warnings)
    assert serious_accessibility_violations(page) == []
    screenshot(page, "draft-page-warnings")
    assert page.problems == []
