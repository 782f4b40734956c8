"""Strict readers for settings that come from the environment.

A deployment that sets a variable to a value we cannot parse must not start
with a silent default: each reader raises ImproperlyConfigured naming the
variable and what it expected.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def _raw(name):
    value = os.environ.get(name)
    return None if value is None or value.strip() == "" else value.strip()


def env_str(name, default=""):
    value = _raw(name)
    return default if value is None else value


def env_bool(name, default=False):
    value = _raw(name)
    if value is None:
        return default
    if value in ("True", "true", "1"):
        return True
    if value in ("False", "false", "0"):
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}.")


def env_int(name, default, minimum=None):
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_float(name, default, minimum=0.0):
    value = _raw(name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name, default=()):
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_mapping(name):
    """KEY=value pairs, comma-separated, as a dict."""
    mapping = {}
    for item in env_list(name):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ImproperlyConfigured(f"{name} must be KEY=value pairs, not {item!r}.")
        mapping[key.strip()] = value.strip()
    return mapping


def env_choice(name, default, choices):
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def database_from_url(name, default_url):
    """DATABASES["default"] from a URL such as postgres://user@host/db or sqlite:///path."""
    import dj_database_url

    url = env_str(name, default_url)
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a database URL we understand: {error}") from None
    if config["ENGINE"] not in (
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    ):
        raise ImproperlyConfigured(f"{name} must be a postgres:// or sqlite:// URL, not {url!r}.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Connections are cheap and a long-lived one would hold SQLite's lock.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
        # A file, not memory, so a Celery worker process can share the test database.
        config["TEST"] = {"NAME": str(Path(config["NAME"]).with_suffix(".test.sqlite3"))}
    return config


def cache_from_url(name, default_url):
    """CACHES["default"] from redis://host:port/db or locmem://."""
    url = env_str(name, default_url)
    scheme = urlsplit(url).scheme
    if scheme in ("redis", "rediss"):
        return {"BACKEND": "config.cache.ResilientRedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(f"{name} must be a redis:// or locmem:// URL, not {url!r}.")


def mailer_from_url(name, default_url):
    """One MAILERS entry from smtp://user:password@host:port?tls=true or file:///folder."""
    url = env_str(name, default_url)
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme == "file":
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": unquote(parts.path)},
        }
    if parts.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme in ("smtp", "smtps"):
        flags = {}
        for flag in ("tls", "ssl"):
            if flag in query:
                if query[flag] not in ("true", "false"):
                    raise ImproperlyConfigured(f"{name}: ?{flag}= must be true or false.")
                flags[f"use_{flag}"] = query[flag] == "true"
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 25)
        except ValueError:
            raise ImproperlyConfigured(f"{name} has a port that is not a number.") from None
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": parts.hostname or "localhost",
                "port": port,
                "username": unquote(parts.username or ""),
                "password": unquote(parts.password or ""),
                "use_ssl": parts.scheme == "smtps",
                "timeout": 10,
                **flags,
            },
        }
    raise ImproperlyConfigured(
        f"{name} must be an smtp://, smtps://, file:// or console:// URL, not {url!r}."
    )
