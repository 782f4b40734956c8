"""Log lines as JSON, one per line, each with the request id (or "-").

Nothing personal goes into a log line: code logs ids (letter, submission,
campaign), never addresses, emails, names or letter text; the request lines
name the view, not the path. tests/operations/test_logs.py holds us to it.
"""

import logging

from pythonjsonlogger.json import JsonFormatter

from config import request_id


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.current.get() or "-"
        return True


def json_formatter():
    # "time" in UTC, ISO 8601: lines from machines in different zones sort together.
    return JsonFormatter(
        "%(levelname)s %(name)s %(message)s %(request_id)s",
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp="time",
    )


def leave_to_django(**_):
    """Celery's setup_logging signal: with a receiver, Celery leaves logging
    alone, so workers and beat log through LOGGING (and LOG_LEVEL) like the web."""


def configuration(level, style):
    """The LOGGING setting: `style` is "json" or "text"."""
    formats = {
        "json": {"()": "config.logs.json_formatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.logs.RequestIdFilter"}},
        "formatters": {"chosen": formats[style]},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "chosen",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        # At DEBUG these would log SQL parameters and request URLs with keys.
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            "urllib3": {"level": "INFO"},
        },
    }
