"""The cache backend with Redis down: a private redis-server on a spare port,
stopped mid-test (never the shared one)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache

from config import cache as resilient
from config import throttle
from tests.support.processes import Redis

pytestmark = pytest.mark.skipif(not Redis.available(), reason="redis-server is not installed")


@pytest.fixture
def redis(private_redis_cache):
    return private_redis_cache


@pytest.fixture
def clock(monkeypatch):
    """time.monotonic as the cache backend sees it, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(resilient.time, "monotonic", lambda: now[0])
    return now


def test_calls_answer_as_misses_while_redis_is_down_then_as_before(redis, clock, caplog):
    cache.set("kept", "yes")
    assert cache.get("kept") == "yes"
    redis.stop()

    assert cache.get("kept", "missing") == "missing"
    assert "is unreachable" in caplog.text
    assert cache.get_or_set("figure", lambda: 42) == 42
    assert cache.add("new", 1) is False
    assert cache.set("new", 1) is None
    assert cache.delete("kept") is False
    with pytest.raises(ValueError, match="not found"):
        cache.incr("counter")
    # Rate limits count from one again rather than refuse everyone.
    assert throttle.allow("sends", "203.0.113.9", limit=1, seconds=60)

    redis.start()
    cache.set("back", "soon")  # dropped: within the pause nothing is tried
    clock[0] += resilient.RETRY_AFTER_SECONDS + 1
    assert cache.get("back") is None
    cache.set("back", "now")
    assert cache.get("back") == "now"
    assert "answers again" in caplog.text


def test_a_dead_redis_is_not_tried_on_every_call(redis, clock, monkeypatch):
    redis.stop()
    assert cache.get("anything") is None
    tried = []
    monkeypatch.setattr(
        "django.core.cache.backends.redis.RedisCacheClient.get",
        lambda *args: tried.append(args),
    )
    for _ in range(20):
        assert cache.get("anything") is None
    assert tried == []
    clock[0] += resilient.RETRY_AFTER_SECONDS + 1
    cache.get("anything")
    assert len(tried) == 1


def test_a_rate_limit_counts_in_redis_and_its_window_is_not_prolonged(redis):
    assert [throttle.count("sends", 60, now=0) for _ in range(3)] == [1, 2, 3]
    key = "throttle:sends:60:0"
    assert cache.get(key) == 3  # as Django's cache reads it
    client = cache._cache.get_client(write=True)
    raw = cache.make_and_validate_key(key)
    client.expire(raw, 10)
    assert throttle.count("sends", 60, now=0) == 4
    # The window's expiry is set by its first count only.
    assert client.ttl(raw) <= 10


def test_one_client_serves_every_call_and_thread(redis):
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client("any key") is client

    def round_trip(number):
        cache.set(f"thread-{number}", number)
        return cache.get(f"thread-{number}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(round_trip, range(64))) == list(range(64))
    assert cache._cache.get_client() is client
