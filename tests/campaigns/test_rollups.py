"""The dashboard's rollups (campaigns/rollups.py) against the rows themselves.

Random letters, submissions and lookups are written, changed and deleted
the ways the application does (bulk inserts and UPDATEs, single saves,
deletes, a supporter's new address, a member's new seat); then every figure
of campaign_stats, read from the rollups, must equal the same figure
counted by scanning the letters, submissions and events, under several
filters (ranges over the campaign's whole life read the totals over the
days, the others the daily rows); and `rebuild_tallies` must leave the
rollups as they were.
"""

import random
import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from campaigns import rollups
from campaigns.models import (
    Event,
    EventTally,
    Letter,
    OfficeFailureTally,
    OfficeFailureTotal,
    OfficeTally,
    OfficeTotal,
    OutcomeTally,
    OutcomeTotal,
    SourceTally,
    Submission,
    Supporter,
)
from campaigns.stats import Filters, campaign_stats
from campaigns.stats.campaign import (
    COUNTED_AS,
    COUNTS,
    NOT_THROUGH,
    _office_names,
    covers_whole_life,
)
from legislators.models import Chamber
from tests import factories

pytestmark = pytest.mark.django_db
Status = Letter.Status
FIRST = date(2026, 6, 1)
DAYS = 6
CREATED = timezone.make_aware(datetime.combine(FIRST, time(0)))
# Letters that ended without delivery, counted with their reasons.
ENDED = [Status.FAILED, Status.REJECTED]
STATUSES = [*Status.values, "on_hold"]  # a status the code has never heard of counts too
REASONS = ["Mailbox full", "Rejected by the office", "x" * 400]
SOURCES = ["", "newsletter", "twitter"]
UTMS = [{}, {"utm_source": "mail", "utm_medium": "email"}, {"utm_campaign": "june"}, {"a": "b"}]


def moment(rng):
    """A random time on one of the days, late evenings included (another day in UTC)."""
    day = FIRST + timedelta(days=rng.randrange(DAYS))
    return timezone.make_aware(datetime.combine(day, time(rng.randrange(24), rng.randrange(60))))


def write(rng, campaign, offices):
    """Supporters, submissions, letters and lookups, written in bulk and one by one."""
    supporters = Supporter.objects.bulk_create(
        Supporter(
            campaign=campaign,
            email=f"s{number}@example.org",
            first_name="Ada",
            last_name="Reader",
            street="1 Main St",
            city="Town",
            state=rng.choice(["TX", "CA", "VT"]),
            zip_code="00000",
        )
        for number in range(40)
    )
    posts = Submission.objects.bulk_create(
        Submission(
            campaign=campaign,
            supporter=supporter,
            idempotency_key=f"key-{supporter.pk}",
            subject="Please act",
            body="Please act.",
            edited=rng.random() < 0.3,
            source=rng.choice(SOURCES),
            utm=rng.choice(UTMS),
            created_at=moment(rng),
        )
        for supporter in supporters
    )
    letters = []
    for post in posts:
        for office in rng.sample(offices, rng.randint(1, 3)):
            status = rng.choice(STATUSES)
            delivered = post.created_at + timedelta(seconds=rng.uniform(0, 7200))
            letters.append(
                Letter(
                    **factories._letter_fields(campaign, post, office),
                    status=status,
                    created_at=post.created_at,
                    delivered_at=delivered if status == Status.DELIVERED else None,
                    failure_reason=rng.choice(REASONS) if status in ENDED else "",
                )
            )
    Letter.objects.bulk_create(letters[: len(letters) // 2])
    for letter in letters[len(letters) // 2 :]:
        letter.save()
    for kind in rng.choices(Event.Kind.values, k=30):
        factories.event(campaign, kind, source=rng.choice(SOURCES), created_at=moment(rng))
    return supporters


def change(rng, campaign, supporters):
    """What the drain, a supporter and the roster do afterwards."""
    letters = list(campaign.letters.all())
    # A bulk claim and a bulk delivery, as the workers do them.
    claimed = [letter.pk for letter in rng.sample(letters, 15)]
    Letter.objects.filter(pk__in=claimed).update(status=Status.SENDING)
    delivered = claimed[:10]
    for pk in delivered:
        Letter.objects.filter(pk=pk).update(
            status=Status.DELIVERED, delivered_at=timezone.now() + timedelta(days=2)
        )
    failing = rng.choice(letters)
    failing.status, failing.failure_reason = Status.FAILED, "Gave up"
    failing.save()
    # A delivered letter whose delivery time is not known.
    Letter.objects.filter(pk=rng.choice(letters).pk).update(
        status=Status.DELIVERED, delivered_at=None
    )
    # A supporter moves (their submissions go with them); another is deleted.
    mover = supporters[0]
    mover.state = "VT" if mover.state != "VT" else "TX"
    mover.save()
    Supporter.objects.filter(state="CA").update(state="TX")
    supporters[1].delete()


def scanned(campaign, filters):
    """The figures as the dashboard counted them before the rollups: by scanning rows."""
    letters = campaign.letters.filter(filters.q("created_at", "office_state"))
    submissions = campaign.submissions.filter(filters.q("created_at", "supporter__state"))

    def counts(rows):
        found = dict.fromkeys(COUNTS, 0)
        for row in rows:
            found["total"] += row["n"]
            if row["status"] in COUNTED_AS:
                found[COUNTED_AS[row["status"]]] += row["n"]
        return found

    def per(*fields, rows=letters):
        grouped = defaultdict(list)
        for row in rows.values(*fields, "status").annotate(n=Count("*")).order_by():
            grouped[tuple(row[field] for field in fields)].append(row)
        return {key: counts(found) for key, found in grouped.items()}

    days = letters.annotate(day=TruncDate("created_at"))
    durations = sorted(
        (letter.delivered_at - letter.created_at).total_seconds()
        for letter in letters.filter(status=Status.DELIVERED, delivered_at__isnull=False)
    )
    failures = Counter(
        (status, reason[:300])
        for status, reason in letters.filter(status__in=ENDED).values_list(
            "status", "failure_reason"
        )
    )
    tags = ("utm_source", "utm_medium", "utm_campaign")
    utm = Counter(
        tuple(post.utm.get(tag) for tag in tags) for post in submissions if post.utm != {}
    )
    lookups = campaign.events.filter(filters.q("created_at"))
    not_through = list(
        letters.filter(status__in=NOT_THROUGH).values_list(
            "legislator", "custom_target", "status", "failure_reason"
        )
    )
    names = _office_names({(member, target) for member, target, _, _ in not_through})
    return {
        "delivery": counts(letters.values("status").annotate(n=Count("*")).order_by()),
        "per_day": per("day", rows=days),
        "by_state": per("office_state", rows=letters.exclude(office_state="")),
        "by_district": per(
            "office_state", "office_district", rows=letters.filter(office_district__isnull=False)
        ),
        "by_legislator": per("legislator", rows=letters.filter(legislator__isnull=False)),
        "by_custom_target": per("custom_target", rows=letters.filter(custom_target__isnull=False)),
        "median": statistics.median(durations) if durations else None,
        "failures": failures,
        "office_health": Counter(
            (names[member, target], status, reason[:300])
            for member, target, status, reason in not_through
        ),
        "submissions": {
            "total": submissions.count(),
            "edited": submissions.filter(edited=True).count(),
        },
        "sources": Counter(submissions.values_list("source", flat=True)),
        "utm": utm,
        "lookups": None if filters.state else lookups.count(),
        "lookups_failed": (
            None if filters.state else lookups.filter(kind=Event.Kind.LOOKUP_FAILED).count()
        ),
    }


def from_rollups(campaign, filters):
    """campaign_stats shaped as `scanned`."""
    stats = campaign_stats(campaign, filters)

    def counts(row):
        return {key: row[key] for key in COUNTS}

    def office(row):
        return {key: getattr(row, key) for key in COUNTS}

    return {
        "delivery": stats.delivery,
        "per_day": {(row["day"],): counts(row) for row in stats.per_day if row["total"]},
        "by_state": {(row["state"],): counts(row) for row in stats.by_state},
        "by_district": {(row["state"], row["district"]): counts(row) for row in stats.by_district},
        "by_legislator": {(row.pk,): office(row) for row in stats.by_legislator},
        "by_custom_target": {(row.pk,): office(row) for row in stats.by_custom_target},
        "median": stats.median_delivery and stats.median_delivery.total_seconds(),
        "failures": Counter(
            {(row["status"], row["failure_reason"]): row["total"] for row in stats.failure_reasons}
        ),
        "office_health": Counter(
            {
                (row["office"], reason["status"], reason["reason"]): reason["total"]
                for row in stats.office_health
                for reason in row["reasons"]
            }
        ),
        "submissions": stats.submissions,
        "sources": Counter({row["source"]: row["submissions"] for row in stats.by_source}),
        "utm": Counter(
            {
                (row["utm_source"], row["utm_medium"], row["utm_campaign"]): row["submissions"]
                for row in stats.by_utm
            }
        ),
        "lookups": stats.funnel["lookups"],
        "lookups_failed": stats.funnel["lookups_failed"],
    }


def rollup_rows():
    """Each rollup's rows that count something, without their ids."""
    found = {}
    for model, field in [
        (OfficeTally, "letters"),
        (OutcomeTally, "letters"),
        (OutcomeTotal, "letters"),
        (OfficeFailureTally, "letters"),
        (OfficeTotal, "letters"),
        (OfficeFailureTotal, "letters"),
        (SourceTally, "submissions"),
        (EventTally, "events"),
    ]:
        columns = [column.attname for column in model._meta.fields if column.name != "id"]
        found[model.__name__] = sorted(model.objects.exclude(**{field: 0}).values_list(*columns))
    return found


@pytest.mark.parametrize(("seed", "exact_up_to"), [(1, 10_000), (2, 0), (3, 10_000)])
def test_rollups_equal_a_scan_of_the_rows(seed, exact_up_to, monkeypatch):
    # 0: the median from the histogram, as for a large campaign.
    monkeypatch.setattr("campaigns.stats.campaign.EXACT_MEDIAN_UP_TO", exact_up_to)
    rng = random.Random(seed)
    # Created on the first day of letters, so a range from then to today is its whole life.
    campaign, other = factories.campaign(created_at=CREATED), factories.campaign()
    senator, representative = factories.legislator("TX"), factories.legislator("TX", 7)
    offices = [
        senator,
        representative,
        factories.legislator("CA", 12),
        factories.legislator("VT", 0),
        factories.custom_target(campaign),
    ]
    supporters = write(rng, campaign, offices)
    write(rng, other, offices[:4])  # never counted for `campaign`
    change(rng, campaign, supporters)
    # The representative becomes a senator: their letters stay with TX-7.
    representative.chamber, representative.district = Chamber.SENATE, None
    representative.save()
    factories.letter(campaign, representative, created_at=moment(rng))

    last = FIRST + timedelta(days=DAYS - 1)
    today = timezone.localdate()
    for filters in [
        Filters(FIRST, last),
        Filters(FIRST + timedelta(days=1), FIRST + timedelta(days=3)),
        Filters(FIRST, last, "TX"),
        Filters(FIRST + timedelta(days=2), FIRST + timedelta(days=2), "CA"),
        Filters(FIRST, today),
        Filters(FIRST, today, "TX"),
        Filters(FIRST + timedelta(days=1), today, "CA"),
    ]:
        expected = scanned(campaign, filters)
        found = from_rollups(campaign, filters)
        exact_median, median = expected.pop("median"), found.pop("median")
        assert found == expected, filters
        if exact_median is None or exact_up_to:
            assert median == pytest.approx(exact_median)
        else:
            # Within a bucket of the histogram (2.2 %), counted from 1 + seconds.
            assert 1 + median == pytest.approx(1 + exact_median, rel=0.022)
    assert ("TX", 7) in found_districts(campaign)

    assert set(rollups.differences().values()) == {0}
    before = rollup_rows()
    OfficeTally.objects.update(letters=99)
    OfficeFailureTally.objects.filter(
        pk=OfficeFailureTally.objects.exclude(letters=0)[0].pk
    ).delete()
    OfficeTotal.objects.filter(pk=OfficeTotal.objects.exclude(letters=0)[0].pk).update(letters=99)
    OfficeFailureTotal.objects.filter(
        pk=OfficeFailureTotal.objects.exclude(letters=0)[0].pk
    ).delete()
    found = rollups.differences()
    assert found["campaigns_officetally"] > 0
    assert found["campaigns_officefailuretally"] == 1
    assert found["campaigns_officetotal"] == 2  # a wrong row: one kept, one missing
    assert found["campaigns_officefailuretotal"] == 1
    call_command("rebuild_tallies")
    assert rollup_rows() == before


def test_a_sample_of_days_is_compared_with_those_days_letters():
    rng = random.Random(5)
    campaign = factories.campaign()
    offices = [factories.legislator("TX"), factories.legislator("TX", 7)]
    write(rng, campaign, [*offices, factories.custom_target(campaign)])
    since = timezone.make_aware(datetime.combine(FIRST + timedelta(days=DAYS - 1), time(0)))
    assert set(rollups.differences(since=since).values()) == {0}
    # The totals have no day to sample: they are compared with the daily rows' sums.
    for model in (OfficeTotal, OfficeFailureTotal):
        model.objects.filter(pk=model.objects.exclude(letters=0)[0].pk).update(letters=99)
    found = rollups.differences(since=since)
    assert found["campaigns_officetotal"] == found["campaigns_officefailuretotal"] == 2
    assert found["campaigns_officetally"] == found["campaigns_officefailuretally"] == 0
    OfficeTally.objects.filter(day__lt=since.date()).update(letters=99)
    assert rollups.differences(since=since)["campaigns_officetally"] == 0  # not in the sample
    sampled = OfficeTally.objects.filter(day=since.date()).exclude(letters=0)[0]
    OfficeTally.objects.filter(pk=sampled.pk).update(letters=99)
    assert rollups.differences(since=since)["campaigns_officetally"] == 2  # one kept, one missing


@pytest.mark.parametrize("state", ["", "TX"])
def test_the_totals_over_the_days_give_the_daily_rows_figures(state, monkeypatch):
    rng = random.Random(4)
    campaign = factories.campaign(created_at=CREATED)
    offices = [
        factories.legislator("TX"),
        factories.legislator("TX", 7),
        factories.legislator("CA", 12),
        factories.custom_target(campaign),
    ]
    change(rng, campaign, write(rng, campaign, offices))
    whole_life = Filters(FIRST, timezone.localdate(), state)
    assert covers_whole_life(campaign, whole_life)
    from_totals = from_rollups(campaign, whole_life)
    monkeypatch.setattr("campaigns.stats.campaign.covers_whole_life", lambda *args: False)
    assert from_rollups(campaign, whole_life) == from_totals
    assert from_totals["delivery"]["total"] > 0
    assert from_totals["office_health"]


def found_districts(campaign):
    stats = campaign_stats(campaign, Filters(FIRST, FIRST + timedelta(days=DAYS - 1)))
    return {(row["state"], row["district"]) for row in stats.by_district}


def test_a_letter_keeps_the_seat_it_was_written_to():
    member = factories.legislator("TX", 7)
    letter = factories.letter(to=member)
    senator = factories.letter(to=factories.legislator("CA"))
    target = factories.letter(to=factories.custom_target(factories.campaign()))
    member.chamber, member.district = Chamber.SENATE, None
    member.save()
    letter.refresh_from_db()
    senator.refresh_from_db()
    target.refresh_from_db()
    assert (letter.office_state, letter.office_district) == ("TX", 7)
    assert (senator.office_state, senator.office_district) == ("CA", None)
    assert (target.office_state, target.office_district) == ("", None)


def test_a_deleted_campaign_takes_its_rollups():
    campaign = factories.campaign()
    factories.letter(campaign, status=Status.FAILED, failure_reason="No")
    factories.event(campaign)
    campaign.delete()
    assert not OfficeTally.objects.exists()
    assert not OutcomeTally.objects.exists()
    assert not OutcomeTotal.objects.exists()
    assert not OfficeTotal.objects.exists()
    assert not OfficeFailureTotal.objects.exists()
    assert not SourceTally.objects.exists()
    assert not EventTally.objects.exists()
