"""Sign-in is throttled by account and by client address on the one sign-in
page (the admin's redirects to it): past the limit even the right password
is refused until the window passes."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from config import throttle

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-4-tests"
LOGINS = ["/accounts/login/"]
MESSAGE = re.compile(r"Too many failed sign-ins; try again in (\d+) minutes?\.")


@pytest.fixture(autouse=True)
def limits(settings):
    settings.SIGNIN_FAILURES_PER_ACCOUNT = 5
    settings.SIGNIN_FAILURES_PER_IP = 20
    settings.SIGNIN_WINDOW_SECONDS = 900
    # The real hasher takes a good part of a second per attempt.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def olivia():
    return User.objects.create_user("olivia", password=PASSWORD, is_staff=True)


def sign_in(client, url, username, password):
    return client.post(url, {"username": username, "password": password})


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", LOGINS)
def test_the_right_password_after_too_many_wrong_ones_is_refused(client, olivia, url):
    for _ in range(5):
        assert sign_in(client, url, "olivia", "wrong").status_code == 200
    response = sign_in(client, url, "olivia", PASSWORD)
    assert not signed_in(client)
    minutes = int(MESSAGE.search(response.content.decode()).group(1))
    assert 1 <= minutes <= 15


@pytest.mark.parametrize("url", LOGINS)
def test_the_account_is_throttled_from_any_address(olivia, url):
    for number in range(5):
        sign_in(Client(REMOTE_ADDR=f"198.51.100.{number}"), url, "OLIVIA", "wrong")
    other_place = Client(REMOTE_ADDR="203.0.113.50")
    response = sign_in(other_place, url, "olivia", PASSWORD)
    assert MESSAGE.search(response.content.decode())
    assert not signed_in(other_place)


@pytest.mark.parametrize("url", LOGINS)
def test_one_address_trying_many_accounts_is_throttled(olivia, url):
    client = Client(REMOTE_ADDR="198.51.100.7")
    for number in range(20):
        sign_in(client, url, f"guess{number}", "wrong")
    response = sign_in(client, url, "olivia", PASSWORD)
    assert MESSAGE.search(response.content.decode())
    assert not signed_in(client)
    # Olivia herself, elsewhere, is not locked out by it.
    elsewhere = Client(REMOTE_ADDR="203.0.113.50")
    sign_in(elsewhere, url, "olivia", PASSWORD)
    assert signed_in(elsewhere)


def test_the_window_passes_and_the_right_password_works_again(client, olivia, monkeypatch):
    start = 1_800_000_000.0  # the start of a 900-second window
    monkeypatch.setattr(throttle.time, "time", lambda: start)
    for _ in range(5):
        sign_in(client, LOGINS[0], "olivia", "wrong")
    sign_in(client, LOGINS[0], "olivia", PASSWORD)
    assert not signed_in(client)
    monkeypatch.setattr(throttle.time, "time", lambda: start + 900)
    sign_in(client, LOGINS[0], "olivia", PASSWORD)
    assert signed_in(client)


def test_a_few_mistakes_do_not_lock_anyone_out(client, olivia):
    for _ in range(4):
        sign_in(client, LOGINS[0], "olivia", "wrong")
    sign_in(client, LOGINS[0], "olivia", PASSWORD)
    assert signed_in(client)


def test_zero_turns_the_limits_off(client, olivia, settings):
    settings.SIGNIN_FAILURES_PER_ACCOUNT = settings.SIGNIN_FAILURES_PER_IP = 0
    for _ in range(30):
        sign_in(client, LOGINS[0], "olivia", "wrong")
    sign_in(client, LOGINS[0], "olivia", PASSWORD)
    assert signed_in(client)


def test_the_admin_has_no_sign_in_page_of_its_own(client):
    response = client.post("/admin/login/", {"username": "olivia", "password": "wrong"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
