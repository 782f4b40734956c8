"""Two-factor sign-in in a real Chromium: enrol TOTP, sign out, sign in
with a code, then with a recovery code, and be stopped after wrong codes."""

import base64
import time

import pytest
from django.contrib.auth.models import User
from django_otp.oath import TOTP

from tests.e2e.conftest import (
    DESKTOP,
    screenshot,
    serious_accessibility_violations,
    watched_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def desktop(browser):
    """One desktop page: the flow signs in five times, once is enough per run."""
    context = browser.new_context(viewport=DESKTOP)
    page = watched_page(context, "desktop")
    yield page
    context.close()


def code(secret, steps_ahead):
    """What an authenticator app with this key shows, `steps_ahead` steps from now
    (each code is accepted once; one step of drift is allowed)."""
    totp = TOTP(base64.b32decode(secret.replace(" ", "")), step=30)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def sign_in(page, url):
    page.goto(f"{url}/staff/")
    page.get_by_label("Username").fill("stella")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def sign_out(page):
    page.get_by_role("button", name="Log out").first.click()


def test_enrol_sign_out_sign_in_recover_and_be_stopped(live_server, desktop, settings):
    settings.TWO_FACTOR_FOR_STAFF = True
    User.objects.create_user("stella", password=PASSWORD, is_staff=True)
    page = desktop

    sign_in(page, live_server.url)
    page.wait_for_url("**/accounts/two-factor/setup/**")
    assert page.get_by_role("img", name="QR code").is_visible()
    assert serious_accessibility_violations(page) == []
    screenshot(page, "two-factor-setup")
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code from the app").fill(code(secret, 0))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    recovery = page.locator(".recovery-codes li").all_inner_texts()
    assert len(recovery) == 10
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url("**/staff/")

    sign_out(page)
    sign_in(page, live_server.url)
    page.wait_for_url("**/accounts/two-factor/verify/**")
    page.get_by_label("Code").fill(code(secret, 1))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/")

    sign_out(page)
    sign_in(page, live_server.url)
    page.get_by_label("Code").fill(recovery[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/")

    sign_out(page)
    sign_in(page, live_server.url)
    for _ in range(5):
        page.get_by_label("Code").fill("000000")
        page.get_by_role("button", name="Continue").click()
        assert "That code is wrong or already used." in page.content()
    page.get_by_label("Code").fill(recovery[1])
    page.get_by_role("button", name="Continue").click()
    assert "Too many wrong codes" in page.content()
    assert "/accounts/two-factor/verify/" in page.url
    assert page.problems == []


def test_add_a_security_key_and_sign_in_with_it(live_server, desktop, settings):
    """Chromium's virtual authenticator stands in for a USB key."""
    settings.TWO_FACTOR_FOR_STAFF = True
    User.objects.create_user("stella", password=PASSWORD, is_staff=True)
    page = desktop
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": False,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    sign_in(page, live_server.url)
    page.wait_for_url("**/accounts/two-factor/setup/**")
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code from the app").fill(code(secret, 0))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.get_by_role("link", name="I have kept them: continue").click()

    page.goto(f"{live_server.url}/accounts/two-factor/setup/")
    page.get_by_label("Name it").fill("Blue key")
    page.get_by_role("button", name="Add a security key").click()
    page.get_by_text("Added Blue key.").wait_for()

    sign_out(page)
    sign_in(page, live_server.url)
    page.wait_for_url("**/accounts/two-factor/verify/**")
    page.get_by_role("button", name="Use my security key").click()
    page.wait_for_url("**/staff/")
    assert page.problems == []
