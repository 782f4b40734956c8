from pathlib import Path

import pytest
from django.conf import settings

SHARED_DIR = Path(settings.BASE_DIR).parent / "shared"


def shared_path(*parts):
    """A file in the reference folder beside the checkout, or skip the test.

    The folder holds third-party data we read in place and never copy, so a
    user's clone does not have it.
    """
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the reference data folder is not beside this checkout")
    return path


@pytest.fixture
def shared():
    return shared_path


@pytest.fixture
def cwc_schema(settings):
    """CWC's schema, which every CWC message is checked against; read in place, never copied."""
    settings.CWC_SCHEMA_PATH = shared_path("data", "cwc", "cwc_schema_v2.rng")
    return settings.CWC_SCHEMA_PATH


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters and cached lookups must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def worker_accepts_postings(request, monkeypatch):
    """A send's request writes one Posting and publishes its task; here the
    worker's half (acceptance.accept) runs in this process as soon as the test
    client has the answer, before the test (or a followed redirect) goes on,
    as a worker would pick the task up. A test of a posting still pending
    marks itself pending_postings; tests/e2e accept on the request's commit."""
    if request.node.get_closest_marker("pending_postings"):
        return
    from django.test import Client

    from campaigns.supporters import acceptance, submit

    posted = []
    monkeypatch.setattr(submit, "enqueue_acceptance", posted.append)
    answer = Client.request

    def answer_then_accept(self, **request):
        response = answer(self, **request)
        # Clients in threads share the list: each takes what it pops.
        while True:
            try:
                posting_id = posted.pop(0)
            except IndexError:
                return response
            acceptance.accept(posting_id)

    monkeypatch.setattr(Client, "request", answer_then_accept)


@pytest.fixture
def private_broker():
    """A Redis of the test's own, on a spare port, that the test may stop and
    start; this process publishes Celery tasks to it meanwhile."""
    from tests.support.processes import Redis, celery_broker

    if not Redis.available():
        pytest.skip("redis-server is not installed")
    redis = Redis().start()
    try:
        with celery_broker(redis.url):
            yield redis
    finally:
        redis.stop()


@pytest.fixture(autouse=True)
def second_factor_not_asked(settings):
    """Tests log in with force_login and test what comes after; the second
    factor itself is tested in tests/twofactor/, which turns it back on."""
    settings.TWO_FACTOR_FOR_STAFF = False


@pytest.fixture
def private_redis_cache(settings):
    """The cache and sessions on a private redis-server on a spare loopback
    port, for a test to stop and start (never the shared Redis)."""
    from tests.support.processes import Redis

    server = Redis().start()
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": server.url}
    }
    settings.SESSION_ENGINE = "config.sessions"  # as config/settings.py picks with Redis
    yield server
    server.stop()
