"""The table across campaigns: headline numbers and a sparkline of letters per day."""

from datetime import timedelta

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from campaigns.models import Event, Letter, Submission
from campaigns.stats.campaign import COUNTS, STANDING
from campaigns.stats.filters import Filters

SPARKLINE_DAYS = 30


def overview(campaigns, today=None):
    """(campaign, letter counts, letters per day over the last 30 days) for
    each campaign; the campaign carries its `visits` and `submission_total`.
    Numbers other than the sparkline's are all-time."""
    rows = list(
        campaigns.annotate(
            visits=_count(Event.objects.filter(kind=Event.Kind.VISIT)),
            submission_total=_count(Submission.objects.all()),
        )
    )
    letters = Letter.objects.filter(campaign__in=[row.pk for row in rows])
    # Grouped by campaign in queries of their own: as annotations beside the
    # subqueries above, PostgreSQL would run those once per letter.
    counts = {
        row.pop("campaign"): row
        for row in letters.values("campaign").annotate(**delivery_counts()).order_by()
    }
    today = today or timezone.localdate()
    window = Filters(today - timedelta(days=SPARKLINE_DAYS - 1), today)
    per_day = (
        letters.filter(window.q("created_at"))
        .values_list("campaign", TruncDate("created_at"))
        .annotate(Count("pk"))
        .order_by()
    )
    daily = {(campaign, day): total for campaign, day, total in per_day}
    none = dict.fromkeys(COUNTS, 0)
    return [
        (row, counts.get(row.pk, none), [daily.get((row.pk, day), 0) for day in window.days()])
        for row in rows
    ]


def delivery_counts():
    """COUNTS as aggregates over letters."""
    standing = {name: Count("pk", filter=Q(status__in=in_)) for name, in_ in STANDING.items()}
    return {"total": Count("pk"), **standing}


def _count(rows):
    """Each campaign's count of rows, as a subquery."""
    counted = rows.filter(campaign=OuterRef("pk")).order_by().values("campaign")
    return Coalesce(Subquery(counted.annotate(total=Count("pk")).values("total")), 0)
