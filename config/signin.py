"""Sign-in throttled by account and by client address. There is one sign-in
page: the admin's redirects to it (config/urls.py).

Failed attempts are counted in the shared cache (config/throttle.py) per
account name (any address) and per client address (any account), in fixed
windows of SIGNIN_WINDOW_SECONDS. Once either count reaches its limit, every
attempt, the right password included, is refused without checking the
password until the window ends, so guessing gains nothing by continuing.
"""

import math

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from config import throttle


def _limits(request, username):
    window = settings.SIGNIN_WINDOW_SECONDS
    return [
        ("signin-account", username.strip().lower(), settings.SIGNIN_FAILURES_PER_ACCOUNT, window),
        ("signin-ip", throttle.client_ip(request), settings.SIGNIN_FAILURES_PER_IP, window),
    ]


class ThrottledSignIn:
    """A mixin for an AuthenticationForm: refuse while throttled, count failures."""

    def clean(self):
        limits = _limits(self.request, self.cleaned_data.get("username") or "")
        if any(throttle.reached(*limit) for limit in limits):
            minutes = math.ceil(throttle.seconds_left(settings.SIGNIN_WINDOW_SECONDS) / 60)
            raise ValidationError(
                ngettext(
                    "Too many failed sign-ins; try again in %(minutes)d minute.",
                    "Too many failed sign-ins; try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
                code="throttled",
            )
        try:
            return super().clean()
        except ValidationError:
            for scope, identity, limit, window in limits:
                if limit:
                    throttle.record(scope, identity, window)
            raise


class SignInForm(ThrottledSignIn, AuthenticationForm):
    pass
