"""A send-rate limit shared by every worker process.

Celery's own rate_limit counts per worker process and per task, not per
endpoint: eight workers would send eight times the rate, and House and Senate
letters would share one budget. So the limit is a one-second window counted
in the shared cache (config.throttle), one per endpoint. A fixed window can
let twice the rate through across a window's edge; the offices' stated
ceiling (5-10 a second) leaves room for that.
"""

import time

from config import throttle


def wait_for_turn(name, per_second, *, clock=time.time, sleep=time.sleep):
    """Return once `name` has sent fewer than per_second this second; 0 = no limit."""
    if per_second <= 0:
        return
    while True:
        now = clock()
        if throttle.count(f"delivery-rate:{name}", 1, now=now) <= per_second:
            return
        sleep(int(now) + 1 - now)
