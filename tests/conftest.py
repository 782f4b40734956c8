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


@pytest.fixture
def private_redis_cache(settings):
    """The cache and sessions on a private redis-server on a spare loopback
    port, for a test to stop and start (never the shared Redis)."""
    from tests.support.processes import Redis

    server = Redis().start()
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": server.url}
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield server
    server.stop()
