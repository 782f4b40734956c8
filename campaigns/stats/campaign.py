"""One campaign's numbers, from the rollups that triggers keep as rows
change (campaigns/rollups.py): letters per day, status, office and the seat
written to; delivery times and failure reasons; submissions per source and
tags; lookups and visits. Each panel is one grouped query over a few rows
per day and office, whatever the campaign's size: no letter is read. Over
a range that takes in the campaign's whole life (see covers_whole_life),
the offices' figures come from totals without the day: a few rows per
office.

The median time to delivery is exact up to EXACT_MEDIAN_UP_TO delivered
letters (it reads them); beyond, it comes from a histogram (32 buckets per
doubling), exact to within 2.2 %. A failure reason is told by its first 300
characters (in the failure reasons and in the delivery health by office)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import itemgetter

from django.db.models import F, Sum
from django.utils import timezone

from campaigns.models import CustomTarget, Event, Letter, OutcomeTally
from campaigns.stats.filters import Filters
from campaigns.stats.median import median_delivery_time
from campaigns.stats.replies import replies
from legislators.divisions import STATES, Seat
from legislators.models import Legislator

Status = Letter.Status
LOOKUPS = [Event.Kind.LOOKUP, Event.Kind.LOOKUP_FAILED]
# The kind of the visit groups, beside the events' kinds.
VISITS = "visit"
FAILURE_REASONS_SHOWN = 10
OFFICES_WITH_PROBLEMS_SHOWN = 20
# Letters that did not get through, per office on the dashboard.
NOT_THROUGH = [Status.REJECTED, Status.FAILED, Status.NO_ROUTE]
# Up to this many delivered letters in the range, their median is read from
# the letters themselves (a sort of that many rows at most).
EXACT_MEDIAN_UP_TO = 10_000
# Where the delivery of letters in these statuses stands; "total" counts
# every letter, whatever its status.
STANDING = {
    "delivered": [Status.DELIVERED],
    "pending": [Status.QUEUED, Status.SENDING],
    "retrying": [Status.RETRYING],
    "rejected": [Status.REJECTED],
    "failed": [Status.FAILED],
    "no_route": [Status.NO_ROUTE],
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

    Letters are counted in the state of the seat they were written to,
    submissions in the supporter's state; visits and lookups have no state,
    so a state filter leaves them out (None) rather than count the whole
    country.
    """
    days = {"day__range": (filters.first_day, filters.last_day)}
    where = {**days, "state": filters.state} if filters.state else days
    offices = campaign.office_tallies.filter(**where)
    if covers_whole_life(campaign, filters):
        in_state = {"state": filters.state} if filters.state else {}
        per_office = campaign.office_totals.filter(**in_state)
        failures = campaign.office_failure_totals.filter(**in_state)
    else:
        per_office = offices
        failures = campaign.office_failure_tallies.filter(**where)
    # Without a state, the totals over every state: 57 times fewer rows.
    outcomes = (
        campaign.outcome_tallies.filter(**where)
        if filters.state
        else campaign.outcome_totals.filter(**days)
    )
    events = None
    if not filters.state:
        events = event_groups(campaign.event_tallies.filter(**days)) + visit_groups(
            campaign.visit_tallies.filter(**days)
        )
    groups = office_groups(per_office)
    legislators = by_legislator(groups)
    targets = by_custom_target(campaign, groups)
    # Read from the letters only where figures are few: the median of a few
    # deliveries.
    letters = campaign.letters.filter(filters.q("created_at", "office_state"))
    submitted = submission_groups(campaign.source_tallies.filter(**where))
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
        median_delivery=median_delivery(outcomes, letters),
        failure_reasons=failure_reasons(outcomes),
        office_health=office_health(failures, known=[*legislators, *targets]),
        # Without a state, LetterTally has the days: a few rows a day, not one per office.
        per_day=per_day(offices if filters.state else campaign.tallies.filter(**days), filters),
        by_state=by_state(groups),
        by_district=by_district(groups),
        by_legislator=legislators,
        by_custom_target=targets,
        by_source=by_source(events, submitted),
        by_utm=by_utm(submitted),
        replies=replies(
            campaign.follow_ups.filter(filters.q("letter__created_at", "letter__legislator__state"))
        ),
    )


def covers_whole_life(campaign, filters, today=None):
    """Whether the range takes in every day the campaign can have letters
    on: from its first local day (a letter is written after its campaign)
    to today (none is written later), whatever the state. Then the totals
    over the days (OfficeTotal, OfficeFailureTotal) count exactly the
    range's letters, in a few rows per office where the daily rows are as
    many times more as the campaign has days: the default range of a
    campaign under 30 days old, the one most looked at."""
    today = today or timezone.localdate()
    first = timezone.localdate(campaign.created_at)
    return filters.first_day <= first and filters.last_day >= today


def office_groups(offices):
    """The letters per office, seat and status over the days: a few rows per office."""
    grouped = offices.values(
        "legislator_pk", "custom_target_pk", "state", "district", delivery_status=F("status")
    )
    return list(grouped.annotate(letters=Sum("letters")).order_by())


def count_letters(groups):
    """COUNTS over some of the letter groups."""
    counts = dict.fromkeys(COUNTS, 0)
    for group in groups:
        counts["total"] += group["letters"]
        if group["delivery_status"] in COUNTED_AS:
            counts[COUNTED_AS[group["delivery_status"]]] += group["letters"]
    return counts


def tally(groups, key):
    """COUNTS per key(group), leaving out the groups whose key is None and
    the keys with no letters (a rollup row stays when it comes down to 0)."""
    found = defaultdict(list)
    for group in groups:
        if group["letters"] and (name := key(group)) is not None:
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


def event_groups(tallies):
    """Lookups counted per kind and source."""
    return list(tallies.values("kind", "source").annotate(events=Sum("events")).order_by())


def visit_groups(tallies):
    """Visits counted per source (campaigns/supporters/visits.py), shaped as event groups."""
    grouped = tallies.values("source").annotate(events=Sum("visits")).order_by()
    return [{"kind": VISITS, **row} for row in grouped]


def median_delivery(outcomes, letters):
    """The median time to delivery: of the letters themselves when they are
    few; else from the histogram of delivery times, within the bucket that
    holds it, as far along as its rank is (the letters taken as spread
    evenly over the bucket)."""
    histogram = (
        outcomes.filter(delay__gte=0)
        .values_list("delay")
        .annotate(Sum("letters"))
        .order_by("delay")
    )
    buckets = [(delay, letters) for delay, letters in histogram if letters]
    count = sum(letters for _, letters in buckets)
    if not count:
        return None
    if count <= EXACT_MEDIAN_UP_TO:
        timed = letters.filter(status=Status.DELIVERED, delivered_at__isnull=False)
        return median_delivery_time(timed, count)
    # As percentile_cont: the middle letter, or halfway between the two middle ones.
    middle = [_at_rank(buckets, (count - 1) // 2), _at_rank(buckets, count // 2)]
    return timedelta(seconds=round(sum(middle) / 2, 3))


def office_health(failures, known=()):
    """The offices whose letters did not get through (rejected, failed, no
    route), most such letters first: per office its counts and the reasons,
    grouped, so staff can tell one office refusing from a channel down
    (from OfficeFailureTally rows). `known`: members and custom targets
    already read, not read again."""
    grouped = (
        failures.values("legislator_pk", "custom_target_pk", "status", "failure_reason")
        .annotate(total=Sum("letters"))
        .filter(total__gt=0)
        .order_by()
    )
    offices = defaultdict(lambda: {**dict.fromkeys(NOT_THROUGH, 0), "reasons": []})
    for group in grouped:
        office = offices[(group["legislator_pk"] or None, group["custom_target_pk"] or None)]
        office[group["status"]] += group["total"]
        office["reasons"].append(
            {"status": group["status"], "reason": group["failure_reason"], "total": group["total"]}
        )
    names = _office_names(offices, known)
    rows = []
    for key, office in offices.items():
        office["reasons"].sort(key=lambda reason: (-reason["total"], reason["reason"]))
        rows.append(
            {
                "office": names[key],
                "rejected": office[Status.REJECTED],
                "failed": office[Status.FAILED],
                "no_route": office[Status.NO_ROUTE],
                "total": sum(office[status] for status in NOT_THROUGH),
                "reasons": office["reasons"],
            }
        )
    rows.sort(key=lambda row: (-row["total"], row["office"]))
    return rows[:OFFICES_WITH_PROBLEMS_SHOWN]


def _office_names(offices, known=()):
    """(legislator pk, custom target pk) -> the office's name, with its seat."""
    legislators = {office.pk: office for office in known if isinstance(office, Legislator)}
    targets = {office.pk: office for office in known if isinstance(office, CustomTarget)}
    legislators |= Legislator.objects.in_bulk(
        [pk for pk, _ in offices if pk is not None and pk not in legislators]
    )
    targets |= CustomTarget.objects.in_bulk(
        [pk for _, pk in offices if pk is not None and pk not in targets]
    )
    names = {}
    for legislator_pk, target_pk in offices:
        if legislator_pk is not None:
            office = legislators[legislator_pk]
            names[legislator_pk, target_pk] = f"{office.display_name} ({office.seat_label})"
        else:
            names[legislator_pk, target_pk] = targets[target_pk].name
    return names


def _at_rank(buckets, rank):
    """The delay, in seconds, of the letter at this rank (from 0)."""
    below = 0
    for delay, letters in buckets:
        if rank < below + letters:
            low, high = _bucket_seconds(delay), _bucket_seconds(delay + 1)
            return low + (high - low) * (rank - below + 0.5) / letters
        below += letters
    raise ValueError("rank beyond the histogram")


def _bucket_seconds(delay):
    """Where a bucket of the delivery times starts (campaigns/rollups.py's DELAY)."""
    return 2 ** (delay / OutcomeTally.DELAY_STEPS) - 1


def failure_reasons(outcomes):
    """Why letters were rejected by the gateway or failed, the commonest first."""
    ended = outcomes.filter(delay__in=list(OutcomeTally.ENDED))
    counted = ended.values("delay", "failure_reason").annotate(total=Sum("letters"))
    rows = counted.filter(total__gt=0).order_by("-total", "delay", "failure_reason")
    return [
        {
            "status": OutcomeTally.ENDED[row["delay"]],
            "failure_reason": row["failure_reason"],
            "total": row["total"],
        }
        for row in rows[:FAILURE_REASONS_SHOWN]
    ]


def per_day(tallies, filters):
    """Letters per local day, with the days that had none (from OfficeTally
    or LetterTally rows)."""
    grouped = tallies.values("day", delivery_status=F("status"))
    found = tally(grouped.annotate(letters=Sum("letters")).order_by(), itemgetter("day"))
    none = dict.fromkeys(COUNTS, 0)
    return [{"day": day, **found.get(day, none)} for day in filters.days()]


def by_state(groups):
    found = tally(groups, lambda group: group["state"] or None)
    rows = [{"state": code, **counts, "name": STATES[code][1]} for code, counts in found.items()]
    return sorted(rows, key=lambda row: (-row["total"], row["state"]))


def by_district(groups):
    """The House seats written to (a senator's or custom target's has no district)."""
    found = tally(
        groups,
        lambda group: (group["state"], group["district"]) if group["district"] >= 0 else None,
    )
    rows = [
        {"state": state, "district": district, **counts, "seat": Seat(state, district).label}
        for (state, district), counts in found.items()
    ]
    return sorted(rows, key=lambda row: (-row["total"], row["state"], row["district"]))


def by_legislator(groups):
    """The members' offices that got letters, most letters first (a member
    who changed seats counted once, with the letters to every seat)."""
    found = tally(groups, lambda group: group["legislator_pk"] or None)
    offices = Legislator.objects.filter(pk__in=list(found))
    return _most_letters_first(offices.order_by("state", "chamber", "district"), found)


def by_custom_target(campaign, groups):
    found = tally(groups, lambda group: group["custom_target_pk"] or None)
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


def submission_groups(tallies):
    """Submissions counted per source, edited or not, and UTM tags (None
    for a tag not given)."""
    grouped = tallies.values(
        "source", "edited", "tagged", "utm_source", "utm_medium", "utm_campaign"
    ).annotate(submissions=Sum("submissions"))
    tags = ("utm_source", "utm_medium", "utm_campaign")
    return [
        {**row, **{tag: row[tag] or None for tag in tags}}
        for row in grouped.order_by()
        if row["submissions"]
    ]


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
