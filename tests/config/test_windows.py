"""Maintenance windows read from the environment: when they hold, when they
end, and a clear refusal of a value that cannot be read."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import windows

KNOWN = "Sat 22:00-Sun 06:00 America/New_York"


def ends(value, moment):
    return windows.ends(windows.parse("X", value), moment)


@pytest.mark.parametrize(
    ("moment", "end"),
    [
        (datetime(2026, 12, 6, 3, 0, tzinfo=UTC), datetime(2026, 12, 6, 11, 0, tzinfo=UTC)),
        (datetime(2026, 12, 6, 10, 59, tzinfo=UTC), datetime(2026, 12, 6, 11, 0, tzinfo=UTC)),
        (datetime(2026, 12, 6, 11, 0, tzinfo=UTC), None),  # Sunday 06:00: over
        (datetime(2026, 12, 6, 2, 59, tzinfo=UTC), None),  # Saturday 21:59
        (datetime(2026, 12, 2, 3, 0, tzinfo=UTC), None),  # a Tuesday night
    ],
)
def test_a_window_across_midnight_and_its_end(moment, end):
    assert ends(KNOWN, moment) == end


def test_a_window_keeps_its_wall_clock_hours_across_daylight_saving():
    # Clocks go back at 02:00 on 2026-11-01: the window still ends at 06:00 local.
    assert ends(KNOWN, datetime(2026, 11, 1, 3, 0, tzinfo=UTC)) == datetime(
        2026, 11, 1, 11, 0, tzinfo=UTC
    )


def test_several_windows_and_none():
    value = "Mon 01:00-Mon 02:00 UTC; Wednesday 10:00-Wednesday 10:30 UTC"
    assert ends(value, datetime(2026, 12, 2, 10, 15, tzinfo=UTC)) == datetime(
        2026, 12, 2, 10, 30, tzinfo=UTC
    )
    assert windows.parse("X", "none") == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Sat 22:00 to Sun 06:00 America/New_York", "must be like"),
        ("Sat 22:00-Sun 06:00", "must be like"),
        ("Sat 22:00-Sun 06:00 Mars/Olympus", "does not exist"),
        ("Xyz 22:00-Sun 06:00 UTC", "is not a day"),
        ("Sat 25:00-Sun 06:00 UTC", "is not a day"),
        ("Sat 06:00-Sat 06:00 UTC", "starts when it ends"),
    ],
)
def test_a_value_that_cannot_be_read_stops_start_up_saying_why(value, message):
    with pytest.raises(ImproperlyConfigured, match=message) as refused:
        windows.parse("CWC_HOUSE_MAINTENANCE", value)
    assert "CWC_HOUSE_MAINTENANCE" in str(refused.value)


def test_the_environment_is_read_and_the_default_used_when_unset(monkeypatch):
    monkeypatch.setenv("SMTP_MAINTENANCE", "Sun 01:00-Sun 02:00 UTC")
    assert [str(w) for w in windows.env_windows("SMTP_MAINTENANCE", "none")] == [
        "Sun 01:00-Sun 02:00 UTC"
    ]
    monkeypatch.delenv("SMTP_MAINTENANCE")
    assert [str(w) for w in windows.env_windows("SMTP_MAINTENANCE", KNOWN)] == [KNOWN]


def test_start_up_stops_on_a_window_it_cannot_read():
    from tests.config.test_startup import manage

    result = manage("check", CWC_SENATE_MAINTENANCE="Saturday night")
    assert result.returncode != 0
    assert "CWC_SENATE_MAINTENANCE must be like" in result.stderr
