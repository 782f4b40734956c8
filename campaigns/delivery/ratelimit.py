"""A send-rate limit shared by every worker process.

Celery's own rate_limit counts per worker process and per task, not per
endpoint: eight workers would send eight times the rate, and House and Senate
letters would share one budget. So the limit is a counter in the Django cache
(Redis in production, where add and incr are atomic across processes and
machines), one per endpoint and per second. A fixed window can let twice the
rate through across a window's edge; the offices' stated ceiling (5-10 a
second) leaves room for that, and the code stays this short.

With the embedded local-memory cache the counter is per process, which only
matters on a laptop.
"""

import time

from django.core.cache import cache


def wait_for_turn(name, per_second, *, clock=time.time, sleep=time.sleep):
    """Return once `name` has sent fewer than per_second this second; 0 = no limit."""
    if per_second <= 0:
        return
    while True:
        now = clock()
        window = int(now)
        key = f"delivery-rate:{name}:{window}"
        # Kept a little past its second so a slow process still finds it.
        cache.add(key, 0, timeout=5)
        try:
            count = cache.incr(key)
        except ValueError:
            continue  # expired between add and incr: a stalled process; count again
        if count <= per_second:
            return
        sleep(window + 1 - now)
