import time

import pytest
from django.contrib.auth.models import User
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def second_factor_asked(settings):
    settings.TWO_FACTOR_FOR_STAFF = True


@pytest.fixture
def staff(db):
    return User.objects.create_user("stella", password=PASSWORD, is_staff=True)


def code_for(user, steps_ahead=0):
    """What the authenticator app shows now (or `steps_ahead` 30-second steps
    later: a code is accepted once, and the device tolerates one step of drift)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def pending_code(user):
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"
