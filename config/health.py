"""/healthz: is the database answering, can we reach the broker and the cache?"""

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from kombu.exceptions import OperationalError as BrokerError

from config.celery import app


def database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return f"error: {error.__class__.__name__}"
    return "ok"


def broker_status():
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except (BrokerError, OSError) as error:
        return f"error: {error.__class__.__name__}"
    return "ok"


def cache_status():
    # Rate limits and sessions live in the cache: a node without it turns supporters away.
    try:
        cache.set("healthz", "ok", 10)
        answered = cache.get("healthz")
    except Exception as error:  # each cache backend raises its own errors
        return f"error: {error.__class__.__name__}"
    return "ok" if answered == "ok" else "error: not stored"


def healthz(request):
    checks = {"database": database_status(), "broker": broker_status(), "cache": cache_status()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
