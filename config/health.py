"""/healthz: is the database answering, and can we reach the broker?"""

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


def healthz(request):
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
