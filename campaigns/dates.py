"""The one range of dates anyone may enter: organizers' campaign dates, the
admin, and the staff statistics' filters.

Far enough either way for any real campaign, and far from the edges where
a date in a local time zone becomes year 0 or 10000 in UTC (PostgreSQL
stores year 10000; psycopg and Python cannot read it back, and every page
that lists the row answers 500).
"""

from datetime import date

from django.core.exceptions import ValidationError

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
OUT_OF_RANGE = f"Enter a date between {FIRST_DAY.year} and {LAST_DAY.year}."
# For <input type="datetime-local">, whose value has no time zone.
INPUT_BOUNDS = {"min": f"{FIRST_DAY.isoformat()}T00:00", "max": f"{LAST_DAY.isoformat()}T23:59"}


def in_range(day: date) -> bool:
    """True for a date (or datetime, judged by its own calendar day) within the range."""
    # Compare the fields as given: converting a far date to another zone
    # first is exactly what overflows.
    return FIRST_DAY <= date(day.year, day.month, day.day) <= LAST_DAY


def validate_in_range(value):
    """A model field validator."""
    if value is not None and not in_range(value):
        raise ValidationError(OUT_OF_RANGE, code="date_out_of_range")
