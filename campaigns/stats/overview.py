"""The table across campaigns: headline numbers and a sparkline of letters per day."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaigns.models import LetterTally, VisitTally
from campaigns.stats.campaign import COUNTED_AS, COUNTS
from campaigns.stats.filters import Filters

SPARKLINE_DAYS = 30


def overview(campaigns, today=None):
    """(campaign, letter counts, letters per day over the last 30 days) for
    each campaign; the campaign carries its `visits` and `submission_total`.
    Numbers other than the sparkline's are all-time.

    Letters, submissions and visits are read from their tallies
    (campaigns/tallies.py, supporters/visits.py), a few rows a day per
    campaign, so the page costs the same at a million letters."""
    rows = list(
        campaigns.annotate(
            visits=_sum(VisitTally.objects.all(), "visits"),
            submission_total=Coalesce(F("submission_tally__submissions"), 0),
        )
    )
    tallied = LetterTally.objects.filter(campaign__in=[row.pk for row in rows])
    counts = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    per_status = tallied.values_list("campaign", "status").annotate(Sum("letters")).order_by()
    for campaign, status, letters in per_status:
        counts[campaign]["total"] += letters
        if status in COUNTED_AS:
            counts[campaign][COUNTED_AS[status]] += letters
    today = today or timezone.localdate()
    window = Filters(today - timedelta(days=SPARKLINE_DAYS - 1), today)
    per_day = (
        tallied.filter(day__range=(window.first_day, window.last_day))
        .values_list("campaign", "day")
        .annotate(Sum("letters"))
        .order_by()
    )
    daily = {(campaign, day): total for campaign, day, total in per_day}
    return [
        (row, counts[row.pk], [daily.get((row.pk, day), 0) for day in window.days()])
        for row in rows
    ]


def _sum(rows, field):
    """Each campaign's sum of a field of rows, as a subquery."""
    summed = rows.filter(campaign=OuterRef("pk")).order_by().values("campaign")
    return Coalesce(Subquery(summed.annotate(total=Sum(field)).values("total")), 0)
