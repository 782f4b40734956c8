"""Whether an endpoint (CWC House, CWC Senate, the mail server) may be sent
to now: outside its maintenance windows (DELIVERY_MAINTENANCE) and within
its rate limit. If not, NotNow says until when, and the letter waits in the
queue without spending an attempt (sending.deliver gives it back)."""

from datetime import timedelta

from django.conf import settings

from campaigns.delivery import clock, ratelimit
from campaigns.delivery.errors import NotNow
from config import windows

NAMES = {"cwc-house": "CWC (House)", "cwc-senate": "CWC (Senate)", "smtp": "The mail server"}


def check(endpoint, *, per_second=0, rate_key=None):
    """Raise NotNow unless `endpoint` may be sent one message now; taking a
    rate slot (keyed by rate_key, the endpoint's URL) when it may."""
    now = clock.now()
    name = NAMES.get(endpoint, endpoint)
    if (end := windows.ends(settings.DELIVERY_MAINTENANCE.get(endpoint, []), now)) is not None:
        raise NotNow(end, f"{name} is in its maintenance window until {end.isoformat()}.")
    wait = ratelimit.take_turn(rate_key or endpoint, per_second, now=now.timestamp())
    if wait is not None:
        raise NotNow(now + timedelta(seconds=wait), f"{name} has no send slot free this second.")
