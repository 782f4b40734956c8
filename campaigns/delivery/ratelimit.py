"""A send-rate limit shared by every worker process, with no worker waiting.

Celery's own rate_limit counts per worker process and per task, not per
endpoint: eight workers would send eight times the rate, and House and Senate
letters would share one budget. So the limit is a one-second window counted
in the shared cache (config.throttle), one per endpoint. A fixed window can
let twice the rate through across a window's edge; the offices' stated
ceiling (5-10 a second) leaves room for that.

A caller past the limit is not put to sleep (a sleeping worker sends
nothing for anyone): it learns when its turn should come, and its letter
goes back to the queue until then. The count past the limit is its place in
line, so the callers refused in one second come back spread over the
seconds that follow, `per_second` at a time, instead of all at once.
"""

import time

from config import throttle


def take_turn(name, per_second, *, now=None):
    """Take a send slot for `name` this second: None when taken, else the
    seconds until this caller's turn. per_second 0 means no limit."""
    if per_second <= 0:
        return None
    now = time.time() if now is None else now
    place = throttle.count(f"delivery-rate:{name}", 1, now=now)
    if place <= per_second:
        return None
    seconds_ahead = (place - per_second - 1) // per_second
    return int(now) + 1 - now + seconds_ahead
