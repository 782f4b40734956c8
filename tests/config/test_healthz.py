import pytest
from celery import Celery

from config import health


@pytest.mark.django_db
def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_cache_down_is_reported(client, settings):
    # Nothing listens on port 1: a node whose Redis cache is gone is not ready.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error: ConnectionError"


@pytest.mark.django_db
def test_broker_down_is_reported(client, monkeypatch):
    # Nothing listens on port 1; the check must say so instead of hanging.
    # (Celery prefers the environment variable to the app's own setting.)
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.setattr(health, "app", Celery(broker="redis://127.0.0.1:1/0", set_as_current=False))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error:")


def test_database_down_is_reported(monkeypatch):
    from django.db import OperationalError

    class BrokenCursor:
        def __enter__(self):
            raise OperationalError("server closed the connection")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(health.connection, "cursor", BrokenCursor)
    assert health.database_status() == "error: OperationalError"
