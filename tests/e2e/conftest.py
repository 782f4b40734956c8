"""Real-browser tests: Debian's chromium driven by Playwright.

They skip when /usr/bin/chromium is absent, except under CI=true, where a
missing browser is a failure. Screenshots go to test-artifacts/.
"""

import contextlib
import os
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
# The campaign most browser tests write to, with its letter; each test adds what it is about.
SHELTER = {
    "slug": "shelter-now",
    "organization": "Harbor Families Coalition",
    "title": "Shelter every family this winter",
    "summary": "Thousands of families in our state have no safe place to sleep.",
    "call_to_action": "We are calling on Congress to fund emergency family shelter now.",
    "letter_subject": "Fund emergency family shelter",
    "letter_body": (
        "Dear {legislator_salutation},\n\nAs your constituent in {city}, I urge you "
        "to fund emergency shelter for families this winter.\n\nSincerely,\n{full_name}"
    ),
}
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(autouse=True)
def worker_accepts_postings(monkeypatch):
    """The live server answers the browser: a send's posting is accepted in
    its thread once the request commits (a worker that is never late); the
    pending page itself is tested in tests/campaigns/test_thanks_page.py."""
    from functools import partial

    from django.db import transaction

    from campaigns.supporters import acceptance, submit

    def accept_on_commit(posting_id):
        transaction.on_commit(partial(acceptance.accept, posting_id))

    monkeypatch.setattr(submit, "enqueue_acceptance", accept_on_commit)


@contextlib.contextmanager
def chromium(*extra_args):
    """Debian's chromium, launched by Playwright with extra_args on top of the
    switches every test needs. Used per module, so the environment variable
    below is gone once the browser tests are done, and later tests start
    processes without it."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs /usr/bin/chromium for the browser tests")
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django refuses
    # database access from a thread with a running loop unless told it is safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    *extra_args,
                ],
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture(params=["phone", "desktop"])
def page(request, browser):
    viewport = PHONE if request.param == "phone" else DESKTOP
    context = browser.new_context(viewport=viewport, is_mobile=request.param == "phone")
    yield watched_page(context, request.param)
    context.close()


def watched_page(context, viewport_name):
    """A new page that records anything the CSP blocks or a script throws in
    page.problems, for the test to fail on."""
    page = context.new_page()
    page.viewport_name = viewport_name
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Content Security Policy" in message.text
            and page.problems.append(message.text)
        ),
    )
    return page


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}-{page.viewport_name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_accessibility_violations(page):
    """axe-core's serious and critical findings on the current page."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run npm ci")
    # Evaluated through the DevTools protocol, which the page's CSP does not
    # govern: an injected <script> tag would (rightly) be blocked.
    page.evaluate(AXE.read_text())
    violations = page.evaluate("async () => (await axe.run()).violations")
    return [
        f"{item['id']}: {item['help']} ({len(item['nodes'])} nodes: {item['nodes'][0]['target']})"
        for item in violations
        if item["impact"] in ("serious", "critical")
    ]


def vermont_delegation():
    """ZIP 05401 and Vermont's three members, each in the office directory
    (CWC reaches them), so a browser test's letters have somewhere to go."""
    from legislators.models import Chamber, Legislator, ZipDistrict
    from tests import factories

    ZipDistrict.objects.create(zcta="05401", state="VT", district=0)
    members = []
    for bioguide, first, last, chamber, district, senate_class in [
        ("S000033", "Bernard", "Sanders", Chamber.SENATE, None, 1),
        ("W000800", "Peter", "Welch", Chamber.SENATE, None, 3),
        ("B001318", "Becca", "Balint", Chamber.HOUSE, 0, None),
    ]:
        member = Legislator.objects.create(
            bioguide_id=bioguide,
            first_name=first,
            last_name=last,
            chamber=chamber,
            state="VT",
            district=district,
            senate_class=senate_class,
            party="Democrat",
            phone="202-224-3121",
            website="https://example.org",
        )
        factories.office(member)
        members.append(member)
    return members


def shelter_campaign(**fields):
    """A live campaign (SHELTER, with fields changed) writing to Vermont's members."""
    from campaigns.models import Campaign

    vermont_delegation()
    return Campaign.objects.create(status=Campaign.Status.LIVE, **SHELTER | fields)
