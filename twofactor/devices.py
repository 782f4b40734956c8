"""Enrolment and codes: a TOTP device from an authenticator app, and
single-use recovery codes for when the phone is gone."""

import segno
from django.core.cache import cache
from django.db import transaction
from django_otp import devices_for_user, login, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
# Wrong codes per user before a pause, on top of django-otp's own
# per-device throttle (which doubles its wait after each failure). Counted
# in the shared cache, like every other limit.
MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 900


def pending_device(user):
    """The TOTP device being enrolled: made once, kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)


def qr_code(device):
    """An SVG data URI for the authenticator app to scan (an <img>, so the CSP allows it)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def readable_secret(device):
    """The key in base32, in groups of four, for typing in by hand."""
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def confirm(request, device, code):
    """Finish enrolment when `code` comes from the app; returns new recovery codes or None."""
    if not device.verify_token(_clean(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    login(request, device)
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user):
    """Replace the user's recovery codes; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Recovery codes"})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


class TooManyFailures(Exception):
    pass


def _failure_key(user):
    return f"twofactor:failures:{user.pk}"


def check_failures(user):
    if cache.get(_failure_key(user), 0) >= MAX_FAILURES:
        raise TooManyFailures


def count_failure(user):
    cache.add(_failure_key(user), 0, FAILURE_WINDOW_SECONDS)
    cache.incr(_failure_key(user))


def forget_failures(user):
    cache.delete(_failure_key(user))


def verify(request, code):
    """The device that accepts `code` (a recovery code is used up), or None.
    Raises TooManyFailures after MAX_FAILURES wrong codes (or keys), until the
    window that began with the first of them is over."""
    check_failures(request.user)
    device = match_token(request.user, _clean(code))
    if device is None:
        count_failure(request.user)
        return None
    forget_failures(request.user)
    login(request, device)
    return device


def has_totp(user):
    return any(isinstance(d, TOTPDevice) for d in devices_for_user(user, confirmed=True))


def _clean(code):
    return "".join((code or "").split())[:16]
