"""One campaign's numbers. Each table is read once, grouped in the database
into a few thousand rows at most, and the panels are sums over those groups:
a million letters are not scanned again for every panel.

The groups count rows with count(*), not count(id): no covering index holds
the id, so PostgreSQL would read every row from the table to count it."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import itemgetter

from django.db.models import Count, F, Q, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate
from django.utils import timezone

from campaigns.models import CustomTarget, Event, Letter
from campaigns.stats.filters import Filters
from campaigns.stats.median import median_delivery_time
from campaigns.stats.replies import replies
from legislators.divisions import STATES, Seat
from legislators.models import Chamber, Legislator

Status = Letter.Status
LOOKUPS = [Event.Kind.LOOKUP, Event.Kind.LOOKUP_FAILED]
# The kind of the visit groups, beside the events' kinds.
VISITS = "visit"
FAILURE_REASONS_SHOWN = 10
OFFICES_WITH_PROBLEMS_SHOWN = 20
# Letters that reach no office by any channel. The status belongs to the
# office directory (campaigns.offices); counted here by its stored value.
NO_ROUTE = "no_route"
# Letters that did not get through, per office on the dashboard.
NOT_THROUGH = [Status.REJECTED, Status.FAILED, NO_ROUTE]
# The delivered letters whose time to delivery is known.
TIMED = Q(status=Status.DELIVERED, delivered_at__isnull=False)
# Where the delivery of letters in these statuses stands; "total" counts
# every letter, whatever its status.
STANDING = {
    "delivered": [Status.DELIVERED],
    "pending": [Status.QUEUED, Status.SENDING],
    "retrying": [Status.RETRYING],
    "rejected": [Status.REJECTED],
    "failed": [Status.FAILED],
    "no_route": [NO_ROUTE],
    "cancelled": [Status.CANCELLED],
}
COUNTS = ("total", *STANDING)
COUNTED_AS = {status: name for name, statuses in STANDING.items() for status in statuses}


@dataclass(frozen=True)
class CampaignStats:
    campaign: object
    filters: Filters
    computed_at: datetime
    funnel: dict  # visits, lookups, lookups_failed (None when filtered by state)
    submissions: dict  # total, edited
    delivery: dict  # COUNTS over all letters
    median_delivery: timedelta | None
    failure_reasons: list  # status, failure_reason, total: rejected and failed letters
    office_health: list  # per office, its letters that did not get through and why
    per_day: list
    by_state: list
    by_district: list
    by_legislator: list  # Legislator rows with COUNTS as attributes
    by_custom_target: list  # CustomTarget rows, likewise
    by_source: list
    by_utm: list
    replies: dict  # asked, replied, no_reply; by_office


def campaign_stats(campaign, filters):
    """Every number on the staff dashboard and in `manage.py campaign_stats`.

    Letters are counted by the state of the office they went to, submissions
    by the supporter's state; visits and lookups have no state, so a state
    filter leaves them out (None) rather than count the whole country.
    """
    letters = campaign.letters.filter(filters.q("created_at", "legislator__state"))
    submissions = campaign.submissions.filter(filters.q("created_at", "supporter__state"))
    events = None
    if not filters.state:
        days = (filters.first_day, filters.last_day)
        events = event_groups(campaign.events.filter(filters.q("created_at"))) + visit_groups(
            campaign.visit_tallies.filter(day__range=days)
        )
    groups = letter_groups(letters)
    timed = sum(
        group["letters"]
        for group in groups
        if group["delivery_status"] == Status.DELIVERED and group["timed"]
    )
    offices = by_legislator(groups)
    submitted = submission_groups(submissions)
    return CampaignStats(
        campaign=campaign,
        filters=filters,
        computed_at=timezone.now(),
        funnel=funnel(events),
        submissions={
            "total": sum(row["submissions"] for row in submitted),
            "edited": sum(row["submissions"] for row in submitted if row["edited"]),
        },
        delivery=count_letters(groups),
        median_delivery=median_delivery_time(letters.filter(TIMED), timed),
        failure_reasons=failure_reasons(letters),
        office_health=office_health(letters),
        per_day=per_day(groups, filters),
        by_state=by_state(groups, offices),
        by_district=by_district(groups, offices),
        by_legislator=offices,
        by_custom_target=by_custom_target(campaign, groups),
        by_source=by_source(events, submitted),
        by_utm=by_utm(submitted),
        replies=replies(
            campaign.follow_ups.filter(filters.q("letter__created_at", "letter__legislator__state"))
        ),
    )


def letter_groups(letters):
    """The letters counted per local day, office, status and whether their
    time to delivery is known: at most a few rows per day and office.

    Shaped for PostgreSQL to hash the rows it reads from the covering index
    (letter_stats_idx): the day first in the GROUP BY, since with the office
    first it reads them in office order from the heap through the
    legislator index; and `timed` a group rather than a count(delivered_at),
    whose wider rows make it sort them all instead.
    """
    grouped = letters.values(
        day=TruncDate("created_at"),
        legislator_pk=F("legislator"),
        custom_target_pk=F("custom_target"),
        delivery_status=F("status"),
        timed=Q(delivered_at__isnull=False),
    )
    return list(grouped.annotate(letters=Count("*")).order_by())


def count_letters(groups):
    """COUNTS over some of the letter groups."""
    counts = dict.fromkeys(COUNTS, 0)
    for group in groups:
        counts["total"] += group["letters"]
        if group["delivery_status"] in COUNTED_AS:
            counts[COUNTED_AS[group["delivery_status"]]] += group["letters"]
    return counts


def tally(groups, key):
    """COUNTS per key(group), leaving out the groups whose key is None."""
    found = defaultdict(list)
    for group in groups:
        if (name := key(group)) is not None:
            found[name].append(group)
    return {name: count_letters(some) for name, some in found.items()}


def funnel(events):
    """From the event groups; None when filtered by state."""
    if events is None:
        return {"visits": None, "lookups": None, "lookups_failed": None}
    kinds = _sum_per(events, itemgetter("kind"), "events")
    return {
        "visits": kinds[VISITS],
        "lookups": sum(kinds[kind] for kind in LOOKUPS),
        "lookups_failed": kinds[Event.Kind.LOOKUP_FAILED],
    }


def event_groups(events):
    """Lookups counted per kind and source."""
    return list(events.values("kind", "source").annotate(events=Count("*")).order_by())


def visit_groups(tallies):
    """Visits counted per source (campaigns/supporters/visits.py), shaped as event groups."""
    grouped = tallies.values("source").annotate(events=Sum("visits")).order_by()
    return [{"kind": VISITS, **row} for row in grouped]


def failure_reasons(letters):
    """Why letters were rejected by the gateway or failed, the commonest first."""
    ended = letters.filter(status__in=[Status.REJECTED, Status.FAILED])
    grouped = ended.values("status", "failure_reason").annotate(total=Count("*"))
    return list(grouped.order_by("-total", "status", "failure_reason")[:FAILURE_REASONS_SHOWN])


def office_health(letters):
    """The offices whose letters did not get through (rejected, failed, no
    route), most such letters first: per office its counts and the reasons,
    grouped, so staff can tell one office refusing from a channel down."""
    grouped = (
        letters.filter(status__in=NOT_THROUGH)
        .values("legislator", "custom_target", "status", "failure_reason")
        .annotate(total=Count("*"))
        .order_by()
    )
    offices = defaultdict(lambda: {**dict.fromkeys(NOT_THROUGH, 0), "reasons": []})
    for group in grouped:
        office = offices[(group["legislator"], group["custom_target"])]
        office[group["status"]] += group["total"]
        office["reasons"].append(
            {"status": group["status"], "reason": group["failure_reason"], "total": group["total"]}
        )
    names = _office_names(offices)
    rows = []
    for key, office in offices.items():
        office["reasons"].sort(key=lambda reason: (-reason["total"], reason["reason"]))
        rows.append(
            {
                "office": names[key],
                "rejected": office[Status.REJECTED],
                "failed": office[Status.FAILED],
                "no_route": office[NO_ROUTE],
                "total": sum(office[status] for status in NOT_THROUGH),
                "reasons": office["reasons"],
            }
        )
    rows.sort(key=lambda row: (-row["total"], row["office"]))
    return rows[:OFFICES_WITH_PROBLEMS_SHOWN]


def _office_names(offices):
    """(legislator pk, custom target pk) -> the office's name, with its seat."""
    legislators = Legislator.objects.in_bulk([pk for pk, _ in offices if pk is not None])
    targets = CustomTarget.objects.in_bulk([pk for _, pk in offices if pk is not None])
    names = {}
    for legislator_pk, target_pk in offices:
        if legislator_pk is not None:
            office = legislators[legislator_pk]
            names[legislator_pk, target_pk] = f"{office.display_name} ({office.seat_label})"
        else:
            names[legislator_pk, target_pk] = targets[target_pk].name
    return names


def per_day(groups, filters):
    """Letters per local day, with the days that had none."""
    found = tally(groups, itemgetter("day"))
    none = dict.fromkeys(COUNTS, 0)
    return [{"day": day, **found.get(day, none)} for day in filters.days()]


def by_state(groups, offices):
    state = {office.pk: office.state for office in offices}
    found = tally(groups, lambda group: state.get(group["legislator_pk"]))
    rows = [{"state": code, **counts, "name": STATES[code][1]} for code, counts in found.items()]
    return sorted(rows, key=lambda row: (-row["total"], row["state"]))


def by_district(groups, offices):
    seat = {
        office.pk: (office.state, office.district)
        for office in offices
        if office.chamber == Chamber.HOUSE
    }
    found = tally(groups, lambda group: seat.get(group["legislator_pk"]))
    rows = [
        {"state": state, "district": district, **counts, "seat": Seat(state, district).label}
        for (state, district), counts in found.items()
    ]
    return sorted(rows, key=lambda row: (-row["total"], row["state"], row["district"]))


def by_legislator(groups):
    """The members' offices that got letters, most letters first."""
    found = tally(groups, itemgetter("legislator_pk"))
    offices = Legislator.objects.filter(pk__in=list(found))
    return _most_letters_first(offices.order_by("state", "chamber", "district"), found)


def by_custom_target(campaign, groups):
    found = tally(groups, itemgetter("custom_target_pk"))
    offices = campaign.custom_targets.filter(pk__in=list(found)).order_by("name")
    return _most_letters_first(offices, found)


def _most_letters_first(offices, found):
    """The offices, with their COUNTS from `found` as attributes, sorted by
    their letters and, among equals, in the order the database sorted them
    in (as it sorts names and a senator's missing district)."""
    offices = list(offices)
    for office in offices:
        for key, value in found[office.pk].items():
            setattr(office, key, value)
    return sorted(offices, key=lambda office: -office.total)


def submission_groups(submissions):
    """Submissions counted per source, edited or not, and UTM tags."""
    grouped = submissions.values(
        "source",
        "edited",
        tagged=~Q(utm={}),
        utm_source=KT("utm__utm_source"),
        utm_medium=KT("utm__utm_medium"),
        utm_campaign=KT("utm__utm_campaign"),
    )
    return list(grouped.annotate(submissions=Count("*")).order_by())


def by_source(events, submitted):
    """Visits and submissions per ?source= value, most submissions first."""
    per_source = itemgetter("source")
    sent = _sum_per(submitted, per_source, "submissions")
    visits = {}
    if events is not None:
        visited = [row for row in events if row["kind"] == VISITS]
        visits = _sum_per(visited, per_source, "events")
    rows = [
        {
            "source": source,
            "visits": None if events is None else visits.get(source, 0),
            "submissions": sent.get(source, 0),
        }
        for source in visits.keys() | sent.keys()
    ]
    return sorted(rows, key=lambda row: (-row["submissions"], -(row["visits"] or 0), row["source"]))


def by_utm(submitted):
    """Submissions per utm_source, utm_medium and utm_campaign, most first;
    as PostgreSQL sorts, a missing utm_source after the others."""
    tags = itemgetter("utm_source", "utm_medium", "utm_campaign")
    found = _sum_per([row for row in submitted if row["tagged"]], tags, "submissions")
    rows = [
        {"utm_source": source, "utm_medium": medium, "utm_campaign": name, "submissions": count}
        for (source, medium, name), count in found.items()
    ]
    return sorted(
        rows,
        key=lambda row: (-row["submissions"], row["utm_source"] is None, row["utm_source"] or ""),
    )


def _sum_per(rows, key, field):
    """The sum of `field` per key(row)."""
    sums = defaultdict(int)
    for row in rows:
        sums[key(row)] += row[field]
    return sums
