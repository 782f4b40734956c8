"""A campaign embedded twice on a partner's page served from another site
(another loopback origin), in a browser that blocks third-party cookies:
both frames sized to their content, and a full send through one of them."""

import pytest
from django.test import override_settings

from campaigns.models import Letter, Submission
from tests.e2e.conftest import ARTIFACTS, DESKTOP, PHONE, chromium, shelter_campaign, watched_page
from tests.support.web_server import WebServer
from tests.support.web_server import page as web_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROBE = "() => { document.cookie = 'probe=1; SameSite=None; Secure'; return document.cookie; }"
PARTNER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Harbor Families: take action</title>
<style>body{{font-family:Georgia,serif;max-width:760px;margin:0 auto;padding:1rem}}</style>
</head><body>
<h1>Harbor Families News</h1>
<p>Our winter appeal: write to Congress below.</p>
<script src="{server}/static/js/embed.js" data-campaign="shelter-now" async></script>
<p>And the same campaign again, for our newsletter readers:</p>
<script src="{server}/static/js/embed.js" data-campaign="shelter-now" data-source="newsletter"
  data-height="500" async></script>
<p>Thank you for reading.</p>
</body></html>
"""


@pytest.fixture(scope="module")
def cookieless_browser():
    """Chromium as its users set it to block third-party cookies."""
    # Chromium's switch for the third-party cookie phase-out: no cookie in a
    # cross-site frame, as in Safari, Firefox and Chrome set to block them
    # (the test checks it with a probe cookie).
    with chromium("--test-third-party-cookie-phaseout") as browser:
        yield browser


@pytest.fixture
def campaign():
    with override_settings(DISTRICT_LOOKUP_BACKENDS=["zipcode"]):
        yield shelter_campaign()


PLAIN_FRAME_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>No scripts here</title></head><body>
<iframe src="{server}/c/shelter-now/embed/" title="Write to Congress"
  style="width:100%;height:1400px;border:0"></iframe>
</body></html>
"""


@pytest.fixture
def partner(live_server, campaign):
    """The partner's pages on 127.0.0.1, another site than the live server's localhost."""
    server = live_server.url.replace("127.0.0.1", "localhost")
    routes = {
        "/": web_page(PARTNER_PAGE.format(server=server)),
        "/plain": web_page(PLAIN_FRAME_PAGE.format(server=server)),
    }
    with WebServer(routes) as site:
        campaign.embed_origins = [site.url("").rstrip("/")]
        campaign.save()
        yield site


def frames_of(page):
    """The embeds' frames, in the page's order."""
    return [
        element.content_frame() for element in page.query_selector_all("iframe.constituent-embed")
    ]


def wait_until_sized(page, count):
    """Each frame's height is its content's, as frame.js told embed.js."""
    page.wait_for_function(
        "n => document.querySelectorAll('iframe.constituent-embed').length === n", arg=count
    )
    for element, frame in zip(
        page.query_selector_all("iframe.constituent-embed"), frames_of(page), strict=True
    ):
        frame.wait_for_load_state("load")
        content = frame.evaluate("document.documentElement.getBoundingClientRect().height")
        page.wait_for_function(
            "([el, h]) => Math.abs(el.getBoundingClientRect().height - h) <= 1",
            arg=[element, content],
        )


def shoot(page, name, viewport):
    """The whole partner page. Chromium paints a cross-site frame only
    within the viewport, so the viewport is made as tall as the page."""
    ARTIFACTS.mkdir(exist_ok=True)
    size = page.viewport_size
    page.set_viewport_size(
        {"width": size["width"], "height": page.evaluate("document.documentElement.scrollHeight")}
    )
    page.wait_for_timeout(200)
    page.screenshot(path=str(ARTIFACTS / f"embed-{name}-{viewport}.png"))
    page.set_viewport_size(size)


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_two_embeds_and_a_send_without_third_party_cookies(
    cookieless_browser, partner, campaign, viewport
):
    size = PHONE if viewport == "phone" else DESKTOP
    context = cookieless_browser.new_context(viewport=size, is_mobile=viewport == "phone")
    page = watched_page(context, viewport)
    set_cookies = []
    page.on(
        "response",
        lambda response: (
            "/embed/" in response.url
            and "set-cookie" in response.all_headers()
            and set_cookies.append(response.url)
        ),
    )
    page.goto(partner.url("/"))
    wait_until_sized(page, 2)
    heights = [
        element.bounding_box()["height"]
        for element in page.query_selector_all("iframe.constituent-embed")
    ]
    assert all(height > 400 for height in heights) and 500 not in heights
    shoot(page, "1-partner-page", viewport)

    first = frames_of(page)[0]
    # A cookie the partner's page may keep is refused in the frame: the
    # browser does block third-party cookies.
    assert "probe=1" in page.evaluate(PROBE)
    assert first.evaluate(PROBE) == ""

    first.get_by_label("Title").select_option("Ms.")
    first.get_by_label("First name").fill("Maya")
    first.get_by_label("Last name").fill("Ortiz")
    first.get_by_label("Email").fill("maya@example.org")
    first.get_by_label("Street address").fill("12 Elm St")
    first.get_by_label("City").fill("Burlington")
    first.get_by_label("State").select_option("VT")
    first.get_by_label("ZIP code").fill("05401")
    first.get_by_role("button", name="Find my members").click()
    first.wait_for_selector(".legislator-card")
    assert first.locator(".legislator-card").count() == 3
    wait_until_sized(page, 2)
    shoot(page, "2-letter-step", viewport)

    first.get_by_role("button", name="Send my letters").click()
    first.wait_for_selector("text=Thank you, Maya!")
    wait_until_sized(page, 2)
    assert first.locator(".letter-status").count() == 3
    assert first.evaluate("document.cookie") == ""
    shoot(page, "3-thanks", viewport)

    submission = Submission.objects.get()
    assert submission.source == f"127.0.0.1:{partner.port}"
    assert Letter.objects.filter(submission=submission).count() == 3
    assert not Letter.objects.filter(status=Letter.Status.NO_ROUTE).exists()
    assert set_cookies == []
    assert page.problems == []
    context.close()


def test_the_frame_works_without_javascript(cookieless_browser, partner, campaign):
    """The partner's own iframe, scripts off everywhere: the same full send."""
    context = cookieless_browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = watched_page(context, "desktop")
    page.goto(partner.url("/plain"))
    frame = page.frame_locator("iframe")
    frame.get_by_label("Title").select_option("Ms.")
    frame.get_by_label("First name").fill("Maya")
    frame.get_by_label("Last name").fill("Ortiz")
    frame.get_by_label("Email").fill("maya@example.org")
    frame.get_by_label("Street address").fill("12 Elm St")
    frame.get_by_label("City").fill("Burlington")
    frame.get_by_label("State").select_option("VT")
    frame.get_by_label("ZIP code").fill("05401")
    frame.get_by_role("button", name="Find my members").click()
    frame.locator(".legislator-card").first.wait_for()
    assert frame.locator(".legislator-card").count() == 3
    frame.get_by_role("button", name="Send my letters").click()
    frame.get_by_text("Thank you, Maya!").wait_for()
    assert frame.locator(".letter-status").count() == 3
    assert Submission.objects.get().source == f"127.0.0.1:{partner.port}"
    assert page.problems == []
    context.close()
