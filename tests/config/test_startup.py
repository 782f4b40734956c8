"""Start-up with real environment variables, in a fresh process each time."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "k3#f9!vQ2@xL7$wZ1^pR8&nT4*mY6(sB0)dC5-eG_hJ+uK=oI-production-like-test-key",
    "ALLOWED_HOSTS": "letters.example.org",
    "DATABASE_URL": "postgres://constituent@127.0.0.1:5432/constituent",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp://mail.example.org:587?tls=true",
}


def manage(*args, **env):
    # A fresh process with only these settings (and none a test set for itself).
    leaked = {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k not in leaked}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_bad_value_stops_start_up_naming_the_variable():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be True or False, not 'maybe'" in result.stderr


def test_production_without_a_secret_key_refuses_to_start():
    env = dict(PRODUCTION)
    del env["SECRET_KEY"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is False" in result.stderr


def test_a_lease_shorter_than_an_attempt_can_last_refuses_to_start():
    """A letter requeued while its attempt may still be in flight would be sent twice."""
    result = manage("check", DELIVERY_ATTEMPT_SECONDS="300", DELIVERY_LEASE_SECONDS="360")
    assert result.returncode != 0
    assert (
        "DELIVERY_LEASE_SECONDS (360) must be longer than the longest a delivery attempt "
        "can last (420 s: DELIVERY_ATTEMPT_SECONDS plus 120 s for Celery's time limits)"
    ) in result.stderr
    assert (
        manage("check", DELIVERY_ATTEMPT_SECONDS="300", DELIVERY_LEASE_SECONDS="421").returncode
        == 0
    )
