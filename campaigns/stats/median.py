"""The median time from a letter's creation to its delivery, in the database,
for a range with few delivered letters (a large one reads a histogram, see
campaign.py).

Only the middle one or two letters are returned, sorted by that time, with
OFFSET. PostgreSQL's percentile_cont over those two
gives the very number it gives over all of them, half microseconds rounded
its way; SQLite has no median, so there the two are averaged here.
"""

from datetime import timedelta

from django.db import connections
from django.db.models import Aggregate, DurationField, F


class Median(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def median_delivery_time(delivered, count):
    """delivered: letters with a delivered_at; count: how many they are,
    which the caller has counted already."""
    if not count:
        return None
    ordered = delivered.annotate(duration=F("delivered_at") - F("created_at")).order_by("duration")
    middle = ordered[(count - 1) // 2 : count // 2 + 1]
    if connections[delivered.db].vendor == "postgresql":
        median = Median("duration", output_field=DurationField())
        return middle.aggregate(median=median)["median"]
    durations = list(middle.values_list("duration", flat=True))
    return sum(durations, timedelta()) / len(durations)
