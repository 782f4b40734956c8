"""One campaign's numbers, panel by panel, each one aggregate query."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, F, Q
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate

from campaigns.models import Event, Letter
from campaigns.stats.filters import Filters
from campaigns.stats.median import median_delivery_time
from legislators.divisions import STATES, Seat
from legislators.models import Chamber, Legislator

Status = Letter.Status
LOOKUPS = [Event.Kind.LOOKUP, Event.Kind.LOOKUP_FAILED]
FAILURE_REASONS_SHOWN = 10
# The delivered letters whose time to delivery is known.
TIMED = Q(status=Status.DELIVERED, delivered_at__isnull=False)


def delivery_counts(via=""):
    """Count aggregates of letters by where their delivery stands. `via` is
    the path from the model queried to Letter ("letters__" from an office)."""

    def count(*statuses):
        return Count(f"{via}pk", filter=Q(**{f"{via}status__in": statuses}) if statuses else None)

    return {
        "total": count(),
        "delivered": count(Status.DELIVERED),
        "pending": count(Status.QUEUED, Status.SENDING),
        "retrying": count(Status.RETRYING),
        "failed": count(Status.FAILED),
        "cancelled": count(Status.CANCELLED),
    }


COUNTS = tuple(delivery_counts())


@dataclass(frozen=True)
class CampaignStats:
    campaign: object
    filters: Filters
    funnel: dict  # visits, lookups, lookups_failed (None when filtered by state)
    submissions: dict  # total, edited
    delivery: dict  # COUNTS over all letters
    median_delivery: timedelta | None
    failure_reasons: list
    per_day: list
    by_state: list
    by_district: list
    by_legislator: list  # Legislator rows with COUNTS as attributes
    by_custom_target: list  # CustomTarget rows, likewise
    by_source: list
    by_utm: list


def campaign_stats(campaign, filters):
    """Every number on the staff dashboard and in `manage.py campaign_stats`.

    Letters are counted by the state of the office they went to, submissions
    by the supporter's state; visits and lookups have no state, so a state
    filter leaves them out (None) rather than count the whole country.
    """
    letters = campaign.letters.filter(filters.q("created_at", "legislator__state"))
    submissions = campaign.submissions.filter(filters.q("created_at", "supporter__state"))
    events = None if filters.state else campaign.events.filter(filters.q("created_at"))
    delivery = letters.aggregate(**delivery_counts(), timed=Count("pk", filter=TIMED))
    timed = delivery.pop("timed")
    return CampaignStats(
        campaign=campaign,
        filters=filters,
        funnel=funnel(events),
        submissions=submissions.aggregate(
            total=Count("pk"), edited=Count("pk", filter=Q(edited=True))
        ),
        delivery=delivery,
        median_delivery=median_delivery_time(letters.filter(TIMED), timed),
        failure_reasons=failure_reasons(letters),
        per_day=per_day(letters, filters),
        by_state=by_state(letters),
        by_district=by_district(letters),
        by_legislator=by_legislator(campaign, filters),
        by_custom_target=by_custom_target(campaign, filters),
        by_source=by_source(events, submissions),
        by_utm=by_utm(submissions),
    )


def funnel(events):
    if events is None:
        return {"visits": None, "lookups": None, "lookups_failed": None}
    return events.aggregate(
        visits=Count("pk", filter=Q(kind=Event.Kind.VISIT)),
        lookups=Count("pk", filter=Q(kind__in=LOOKUPS)),
        lookups_failed=Count("pk", filter=Q(kind=Event.Kind.LOOKUP_FAILED)),
    )


def failure_reasons(letters):
    failed = letters.filter(status=Status.FAILED).values("failure_reason")
    return list(
        failed.annotate(total=Count("pk")).order_by("-total", "failure_reason")[
            :FAILURE_REASONS_SHOWN
        ]
    )


def per_day(letters, filters):
    """Letters per local day, with the days that had none."""
    rows = letters.values(day=TruncDate("created_at")).annotate(**delivery_counts())
    found = {row["day"]: row for row in rows}
    none = dict.fromkeys(COUNTS, 0)
    return [found.get(day, {"day": day, **none}) for day in filters.days()]


def by_state(letters):
    rows = (
        letters.filter(legislator__isnull=False)
        .values(state=F("legislator__state"))
        .annotate(**delivery_counts())
        .order_by("-total", "state")
    )
    return [{**row, "name": STATES[row["state"]][1]} for row in rows]


def by_district(letters):
    rows = (
        letters.filter(legislator__chamber=Chamber.HOUSE)
        .values(state=F("legislator__state"), district=F("legislator__district"))
        .annotate(**delivery_counts())
        .order_by("-total", "state", "district")
    )
    return [{**row, "seat": Seat(row["state"], row["district"]).label} for row in rows]


def by_legislator(campaign, filters):
    """The members' offices that got letters. The conditions on letters sit in
    one filter() call so the counts are over exactly those letters."""
    offices = Legislator.objects.filter(
        filters.q("letters__created_at", "state"), letters__campaign=campaign
    )
    return list(
        offices.annotate(**delivery_counts("letters__")).order_by(
            "-total", "state", "chamber", "district"
        )
    )


def by_custom_target(campaign, filters):
    offices = campaign.custom_targets.filter(
        filters.q("letters__created_at", "letters__legislator__state")
    )
    return list(offices.annotate(**delivery_counts("letters__")).order_by("-total", "name"))


def by_source(events, submissions):
    """Visits and submissions per ?source= value, most submissions first."""
    sent = _per_source(submissions)
    visits = {} if events is None else _per_source(events.filter(kind=Event.Kind.VISIT))
    rows = [
        {
            "source": source,
            "visits": None if events is None else visits.get(source, 0),
            "submissions": sent.get(source, 0),
        }
        for source in visits.keys() | sent.keys()
    ]
    return sorted(rows, key=lambda row: (-row["submissions"], -(row["visits"] or 0), row["source"]))


def _per_source(rows):
    return dict(rows.values_list("source").annotate(Count("pk")).order_by())


def by_utm(submissions):
    tagged = submissions.exclude(utm={}).values(
        utm_source=KT("utm__utm_source"),
        utm_medium=KT("utm__utm_medium"),
        utm_campaign=KT("utm__utm_campaign"),
    )
    return list(tagged.annotate(submissions=Count("pk")).order_by("-submissions", "utm_source"))
