"""The median time from a letter's creation to its delivery, in the database.

PostgreSQL has percentile_cont. SQLite has no median, so there the rows are
sorted and only the middle one or two are read, with OFFSET.
"""

from datetime import timedelta

from django.db import connections
from django.db.models import Aggregate, DurationField, F


class Median(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def median_delivery_time(delivered, count):
    """delivered: letters with a delivered_at; count: how many they are,
    which the caller has counted already and SQLite needs to find the middle."""
    if not count:
        return None
    duration = F("delivered_at") - F("created_at")
    if connections[delivered.db].vendor == "postgresql":
        median = Median(duration, output_field=DurationField())
        return delivered.aggregate(median=median)["median"]
    ordered = delivered.annotate(duration=duration).order_by("duration")
    middle = list(ordered.values_list("duration", flat=True)[(count - 1) // 2 : count // 2 + 1])
    return sum(middle, timedelta()) / len(middle)
