"""Password, then a second factor: enrolment, codes, recovery codes, limits, policy."""

import re

import pytest
from django.core.cache import cache
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.api.conftest import organizer
from tests.twofactor.conftest import PASSWORD, code_for, pending_code

pytestmark = pytest.mark.django_db


def log_in(client, user, next_url="/staff/"):
    return client.post(
        f"/accounts/login/?next={next_url}", {"username": user.username, "password": PASSWORD}
    )


def enrol(client, user):
    log_in(client, user)
    client.get("/accounts/two-factor/setup/")
    response = client.post("/accounts/two-factor/setup/", {"code": pending_code(user)})
    return re.findall(r"<li>([a-z0-9]{8})</li>", response.content.decode())


def test_staff_enrol_before_anything_else(client, staff):
    log_in(client, staff)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/setup/?next=%2Fstaff%2F"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page["Cache-Control"] == "no-store"
    assert 'src="data:image/svg+xml' in html
    assert re.search(r'id="totp-secret"[^>]*>([A-Z2-7]{4} ?){8,}', html)
    wrong = client.post("/accounts/two-factor/setup/", {"code": "000000", "next": "/staff/"})
    assert "That code is not the one the app shows now" in wrong.content.decode()
    assert client.get("/staff/").status_code == 302
    # django-otp makes a device wait a moment after a wrong code.
    TOTPDevice.objects.get(user=staff).throttle_reset()

    done = client.post(
        "/accounts/two-factor/setup/", {"code": pending_code(staff), "next": "/staff/"}
    )
    codes = re.findall(r"<li>([a-z0-9]{8})</li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/staff/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_sign_in_again_with_a_code_then_with_a_recovery_code_once(client, staff):
    codes = enrol(client, staff)
    client.post("/accounts/logout/")
    response = log_in(client, staff)
    assert client.get("/staff/")["Location"] == "/accounts/two-factor/verify/?next=%2Fstaff%2F"
    response = client.post(
        "/accounts/two-factor/verify/", {"code": code_for(staff, 1), "next": "/staff/"}
    )
    assert response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200

    client.post("/accounts/logout/")
    log_in(client, staff)
    response = client.post("/accounts/two-factor/verify/", {"code": codes[0], "next": "/staff/"})
    assert response["Location"] == "/staff/"
    assert StaticToken.objects.filter(token=codes[0]).count() == 0  # used up

    client.post("/accounts/logout/")
    log_in(client, staff)
    again = client.post("/accounts/two-factor/verify/", {"code": codes[0]})
    assert again.status_code == 400
    assert "That code is wrong or already used." in again.content.decode()


def test_wrong_codes_are_limited(client, staff):
    codes = enrol(client, staff)
    client.post("/accounts/logout/")
    log_in(client, staff)
    statuses = [
        client.post("/accounts/two-factor/verify/", {"code": "123456"}).status_code
        for _ in range(5)
    ]
    assert statuses == [400] * 5
    refused = client.post("/accounts/two-factor/verify/", {"code": codes[1]})
    assert refused.status_code == 429
    assert "Too many wrong codes" in refused.content.decode()
    assert client.get("/staff/").status_code == 302
    cache.clear()  # the quarter of an hour is over
    for device in devices_for_user(staff):
        device.throttle_reset()  # and django-otp's own pause
    assert client.post("/accounts/two-factor/verify/", {"code": codes[1]}).status_code == 302


def test_organizers_only_when_the_setting_says(client, settings):
    olivia = organizer("olivia")
    olivia.set_password(PASSWORD)
    olivia.save()
    log_in(client, olivia, "/organize/")
    assert client.get("/organize/").status_code == 200
    settings.TWO_FACTOR_FOR_ORGANIZERS = True
    assert client.get("/organize/")["Location"].startswith("/accounts/two-factor/setup/")


def test_an_organizer_who_enrolled_is_always_asked(client):
    olivia = organizer("olivia")
    olivia.set_password(PASSWORD)
    olivia.save()
    log_in(client, olivia, "/organize/")
    client.get("/accounts/two-factor/setup/")
    client.post("/accounts/two-factor/setup/", {"code": pending_code(olivia)})
    client.post("/accounts/logout/")
    log_in(client, olivia, "/organize/")
    assert client.get("/organize/")["Location"].startswith("/accounts/two-factor/verify/")


def test_new_recovery_codes_replace_the_old(client, staff):
    old = enrol(client, staff)
    assert "Two-factor sign-in is on" in client.get("/accounts/two-factor/setup/").content.decode()
    response = client.post("/accounts/two-factor/recovery-codes/")
    new = re.findall(r"<li>([a-z0-9]{8})</li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert not StaticToken.objects.filter(token__in=old).exists()


def test_the_admin_signs_in_through_the_same_page(client, staff):
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"] == "/accounts/login/?next=/admin/"
    log_in(client, staff, "/admin/")
    assert client.get("/admin/")["Location"].startswith("/accounts/two-factor/setup/")


def test_next_never_leaves_the_site(client, staff):
    enrol(client, staff)
    client.post("/accounts/logout/")
    log_in(client, staff)
    response = client.post(
        "/accounts/two-factor/verify/",
        {"code": code_for(staff, 1), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_the_api_takes_tokens_whatever_the_session(client, staff):
    log_in(client, staff)
    # Not verified, yet the API answers (with a 401 for want of a token), not a redirect.
    assert client.get("/api/v1/campaigns").status_code == 401
