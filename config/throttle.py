"""Fixed-window counters in the shared cache, for rate limits.

With Redis (production) add and incr are atomic across processes and
machines; with the embedded local-memory cache each process counts alone,
which only matters on a laptop. A fixed window can let up to twice the limit
through across a window's edge; for abuse limits that is close enough, and
the code stays this short.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def count(name, seconds, *, now=None):
    """Count one more event for `name` in the current window; return the total."""
    window = int((now if now is not None else time.time()) // seconds)
    key = f"throttle:{name}:{seconds}:{window}"
    if hasattr(cache, "count"):
        # Redis (config.cache): one round trip.
        return cache.count(key, seconds + 5)
    cache.add(key, 0, timeout=seconds + 5)
    try:
        return cache.incr(key)
    except ValueError:
        # The key expired between add and incr: this is a new window's first event.
        cache.add(key, 1, timeout=seconds + 5)
        return 1


def seconds_left(seconds, *, now=None):
    """How long until the current window of `seconds` ends and counting starts afresh."""
    now = now if now is not None else time.time()
    return seconds - int(now % seconds)


def wait_phrase(seconds, *, now=None):
    """When a refused visitor may try again, in words: "in 12 minutes"."""
    left = seconds_left(seconds, now=now)
    if left > 5400:
        return _("in about %(hours)d hours") % {"hours": round(left / 3600)}
    minutes = max(1, -(-left // 60))
    return ngettext("in %(minutes)d minute", "in %(minutes)d minutes", minutes) % {
        "minutes": minutes
    }


def allow(scope, identity, limit, seconds):
    """True while `identity` (an IP, an email) stays within `limit` per `seconds`.

    Identities are hashed, so no address or email sits in the cache.
    """
    if not limit:
        return True
    return count(_name(scope, identity), seconds) <= limit


def reached(scope, identity, limit, seconds, *, now=None):
    """True when `identity` has had `limit` events in this window already;
    counts nothing (count them with `record`)."""
    if not limit:
        return False
    window = int((now if now is not None else time.time()) // seconds)
    return (cache.get(f"throttle:{_name(scope, identity)}:{seconds}:{window}") or 0) >= limit


def record(scope, identity, seconds):
    """Count one event for `identity`, as allow() would, without a verdict."""
    return count(_name(scope, identity), seconds)


def _name(scope, identity):
    digest = hashlib.sha256(f"{scope}:{identity}".encode()).hexdigest()[:32]
    return f"{scope}:{digest}"


def client_ip(request):
    """The visitor's address: behind our proxy, the last hop it appended."""
    if settings.BEHIND_PROXY and (forwarded := request.headers.get("X-Forwarded-For")):
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
