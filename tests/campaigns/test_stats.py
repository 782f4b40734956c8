"""Each panel of campaign_stats over a handful of hand-made rows.

Three days of a campaign (June 1 to 3) with a letter the day before and one
of another campaign, so every number below can be counted in `scenario`.
"""

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import Campaign, Event, Letter, VisitTally
from campaigns.stats import Filters, campaign_stats, overview, parse_filters
from campaigns.stats.campaign import covers_whole_life
from tests import factories

Status = Letter.Status
DAY0, DAY1, DAY2, DAY3 = date(2026, 5, 31), date(2026, 6, 1), date(2026, 6, 2), date(2026, 6, 3)
THREE_DAYS = Filters(DAY1, DAY3)


def noon(day):
    return timezone.make_aware(datetime.combine(day, time(12)))


def post(campaign, day, state="TX", **fields):
    supporter = factories.supporter(campaign, state=state, created_at=noon(day))
    return factories.submission(campaign, supporter=supporter, created_at=noon(day), **fields)


def send(campaign, submission, office, status=Status.QUEUED, minutes=None, **fields):
    """A letter from the submission; `minutes` after it, it was delivered."""
    if minutes is not None:
        status = Status.DELIVERED
        fields["delivered_at"] = submission.created_at + timedelta(minutes=minutes)
    return factories.letter(
        campaign,
        office,
        submission=submission,
        status=status,
        created_at=submission.created_at,
        **fields,
    )


@pytest.fixture
def scenario(db):
    campaign = factories.campaign()
    tx_senator = factories.legislator("TX", last_name="Cornyn")
    tx_rep = factories.legislator("TX", 7, last_name="Fletcher")
    ca_rep = factories.legislator("CA", 12, last_name="Simon")
    governor = factories.custom_target(campaign)
    tagged = {"utm_source": "mail", "utm_medium": "email", "utm_campaign": "june"}

    s1 = post(campaign, DAY1, edited=True, source="newsletter", utm=tagged)
    send(campaign, s1, tx_senator, minutes=10)
    send(campaign, s1, tx_rep, minutes=20)
    send(campaign, s1, governor, minutes=60)
    s2 = post(campaign, DAY1, source="newsletter", utm=tagged)
    send(campaign, s2, tx_senator, minutes=30)
    send(campaign, s2, tx_rep)
    s3 = post(campaign, DAY2, edited=True)
    send(campaign, s3, tx_senator, Status.FAILED, failure_reason="Mailbox full")
    s4 = post(campaign, DAY3, source="twitter", utm={"utm_source": "twitter"})
    send(campaign, s4, tx_senator, Status.RETRYING)
    s5 = post(campaign, DAY3, state="CA", source="twitter")
    send(campaign, s5, ca_rep, Status.FAILED, failure_reason="Mailbox full")
    s6 = post(campaign, DAY3, state="CA")
    send(campaign, s6, ca_rep, Status.FAILED, failure_reason="Rejected by the office")

    # Outside the three days, and another campaign's letter: never counted.
    send(campaign, post(campaign, DAY0), tx_senator, minutes=1)
    other = factories.campaign()
    send(other, post(other, DAY2), tx_senator, minutes=1)
    factories.visit(other, created_at=noon(DAY2))

    for source, visits in [("newsletter", 5), ("twitter", 3), ("", 2)]:
        for _ in range(visits):
            factories.visit(campaign, source=source, created_at=noon(DAY2))
    for kind, count in [(Event.Kind.LOOKUP, 6), (Event.Kind.LOOKUP_FAILED, 2)]:
        for _ in range(count):
            factories.event(campaign, kind, created_at=noon(DAY2))
    factories.visit(campaign, created_at=noon(DAY0))
    return SimpleNamespace(
        campaign=campaign, tx_senator=tx_senator, tx_rep=tx_rep, ca_rep=ca_rep, governor=governor
    )


def counts(
    total, delivered=0, pending=0, retrying=0, rejected=0, failed=0, no_route=0, cancelled=0
):
    return {
        "total": total,
        "delivered": delivered,
        "pending": pending,
        "retrying": retrying,
        "rejected": rejected,
        "failed": failed,
        "no_route": no_route,
        "cancelled": cancelled,
    }


def office_counts(office):
    return counts(*(getattr(office, key) for key in counts(0)))


def test_funnel(scenario):
    stats = campaign_stats(scenario.campaign, THREE_DAYS)
    assert stats.funnel == {"visits": 10, "lookups": 8, "lookups_failed": 2}
    assert stats.submissions == {"total": 6, "edited": 2}
    assert stats.delivery == counts(9, delivered=4, pending=1, retrying=1, failed=3)


def test_delivery_health(scenario):
    stats = campaign_stats(scenario.campaign, THREE_DAYS)
    # Delivered after 10, 20, 30 and 60 minutes: halfway between 20 and 30.
    assert stats.median_delivery == timedelta(minutes=25)
    assert stats.failure_reasons == [
        {"status": "failed", "failure_reason": "Mailbox full", "total": 2},
        {"status": "failed", "failure_reason": "Rejected by the office", "total": 1},
    ]


def test_letters_per_day_include_the_days_without_any(scenario):
    stats = campaign_stats(scenario.campaign, Filters(DAY1, date(2026, 6, 4)))
    assert [(row["day"], row["total"], row["delivered"]) for row in stats.per_day] == [
        (DAY1, 5, 4),
        (DAY2, 1, 0),
        (DAY3, 3, 0),
        (date(2026, 6, 4), 0, 0),
    ]


def test_by_state_and_district(scenario):
    stats = campaign_stats(scenario.campaign, THREE_DAYS)
    assert stats.by_state == [
        {"state": "TX", "name": "Texas", **counts(6, delivered=3, pending=1, retrying=1, failed=1)},
        {"state": "CA", "name": "California", **counts(2, failed=2)},
    ]
    assert stats.by_district == [
        {"state": "CA", "district": 12, "seat": "CA-12", **counts(2, failed=2)},
        {"state": "TX", "district": 7, "seat": "TX-7", **counts(2, delivered=1, pending=1)},
    ]


def test_by_office(scenario):
    stats = campaign_stats(scenario.campaign, THREE_DAYS)
    offices = {office.last_name: office_counts(office) for office in stats.by_legislator}
    assert list(offices) == ["Cornyn", "Simon", "Fletcher"]  # most letters first
    assert offices == {
        "Cornyn": counts(4, delivered=2, retrying=1, failed=1),
        "Simon": counts(2, failed=2),
        "Fletcher": counts(2, delivered=1, pending=1),
    }
    [governor] = stats.by_custom_target
    assert office_counts(governor) == counts(1, delivered=1)


def test_by_source_and_utm(scenario):
    stats = campaign_stats(scenario.campaign, THREE_DAYS)
    assert stats.by_source == [
        {"source": "newsletter", "visits": 5, "submissions": 2},
        {"source": "twitter", "visits": 3, "submissions": 2},
        {"source": "", "visits": 2, "submissions": 2},
    ]
    assert stats.by_utm == [
        {"utm_source": "mail", "utm_medium": "email", "utm_campaign": "june", "submissions": 2},
        {"utm_source": "twitter", "utm_medium": None, "utm_campaign": None, "submissions": 1},
    ]


def test_one_state_answers_what_its_offices_got_on_one_day(scenario):
    stats = campaign_stats(scenario.campaign, Filters(DAY1, DAY1, "TX"))
    offices = {office.last_name: office_counts(office) for office in stats.by_legislator}
    assert offices == {
        "Cornyn": counts(2, delivered=2),
        "Fletcher": counts(2, delivered=1, pending=1),
    }
    assert stats.by_custom_target == []  # a governor's office has no state here


def test_a_state_filter_counts_submissions_by_the_supporters_state(scenario):
    stats = campaign_stats(scenario.campaign, Filters(DAY1, DAY3, "TX"))
    assert stats.delivery == counts(6, delivered=3, pending=1, retrying=1, failed=1)
    assert stats.submissions == {"total": 4, "edited": 2}
    assert [row["state"] for row in stats.by_state] == ["TX"]
    # Visits and lookups carry no state: unknown, not the country's.
    assert stats.funnel == {"visits": None, "lookups": None, "lookups_failed": None}
    assert {row["source"]: row["visits"] for row in stats.by_source} == {
        "newsletter": None,
        "twitter": None,
        "": None,
    }


@pytest.mark.parametrize(
    ("minutes", "median"),
    [([], None), ([7], 7), ([1, 2, 9], 2), ([1, 2, 9, 10], 5.5)],
)
def test_median_time_to_delivery(db, minutes, median):
    campaign = factories.campaign()
    for value in minutes:
        send(campaign, post(campaign, DAY1), factories.legislator(), minutes=value)
    stats = campaign_stats(campaign, Filters(DAY1, DAY1))
    assert stats.median_delivery == (None if median is None else timedelta(minutes=median))


def test_an_empty_campaign_has_zeros_not_errors(db):
    stats = campaign_stats(factories.campaign(), THREE_DAYS)
    assert stats.delivery == counts(0)
    assert stats.median_delivery is None
    assert [row["total"] for row in stats.per_day] == [0, 0, 0]
    assert stats.by_state == stats.by_legislator == stats.by_source == stats.by_utm == []


def tables_read(campaign, filters):
    with CaptureQueriesContext(connection) as queries:
        stats = campaign_stats(campaign, filters)
    return stats, " ".join(query["sql"] for query in queries.captured_queries)


def test_a_range_over_the_whole_life_reads_the_totals_over_the_days(scenario):
    """Created on DAY0, the day of its first letter: from then to today the
    totals over the days hold the range's letters; a day later, the daily
    rows, which leave DAY0's letter out."""
    campaign = scenario.campaign
    Campaign.objects.filter(pk=campaign.pk).update(created_at=noon(DAY0))
    campaign.refresh_from_db()
    today = timezone.localdate()

    whole, read = tables_read(campaign, Filters(DAY0, today))
    assert "campaigns_officetotal" in read and "campaigns_officefailuretotal" in read
    assert "campaigns_officetally" not in read and "campaigns_officefailuretally" not in read
    assert whole.delivery == counts(10, delivered=5, pending=1, retrying=1, failed=3)
    assert [(row["total"], row["failed"]) for row in whole.office_health] == [(2, 2), (1, 1)]

    later, read = tables_read(campaign, Filters(DAY1, today))
    assert "campaigns_officetotal" not in read and "campaigns_officefailuretotal" not in read
    assert later.delivery == counts(9, delivered=4, pending=1, retrying=1, failed=3)

    in_texas, read = tables_read(campaign, Filters(DAY0, today, "TX"))
    assert "campaigns_officetotal" in read
    assert in_texas.delivery == counts(7, delivered=4, pending=1, retrying=1, failed=1)
    assert [row["state"] for row in in_texas.by_state] == ["TX"]


@pytest.mark.parametrize(
    ("first_day", "last_day", "state", "covers"),
    [
        (DAY0, DAY3, "", True),  # from the day it was created to today
        (DAY0, DAY3, "TX", True),  # whatever the state
        (DAY0 - timedelta(days=5), DAY3 + timedelta(days=5), "", True),
        (DAY1, DAY3, "", False),  # a day after it was created: its first day's letters left out
        (DAY1, DAY3, "TX", False),
        (DAY0, DAY2, "", False),  # up to yesterday: today's letters left out
    ],
)
def test_which_ranges_cover_the_whole_life(db, first_day, last_day, state, covers):
    # 23:30 on DAY0 here is DAY1 in UTC: the local day counts, as the rollups count it.
    created = timezone.make_aware(datetime.combine(DAY0, time(23, 30)))
    campaign = factories.campaign(created_at=created)
    filters = Filters(first_day, last_day, state)
    assert covers_whole_life(campaign, filters, today=DAY3) is covers


class TestParseFilters:
    @pytest.fixture
    def campaign(self, db):
        return factories.campaign(created_at=noon(date(2026, 1, 1)))

    def test_default_is_the_last_30_days(self, campaign):
        filters = parse_filters(campaign, {}, today=DAY3)
        assert filters == Filters(date(2026, 5, 5), DAY3)

    def test_default_starts_no_earlier_than_the_campaign(self, campaign):
        filters = parse_filters(campaign, {}, today=date(2026, 1, 10))
        assert filters == Filters(date(2026, 1, 1), date(2026, 1, 10))

    def test_default_ends_when_the_campaign_closed(self, campaign):
        campaign.closed_at = noon(date(2026, 3, 31))
        filters = parse_filters(campaign, {}, today=DAY3)
        assert filters == Filters(date(2026, 3, 2), date(2026, 3, 31))

    def test_given_values(self, campaign):
        params = {"from": "2026-06-01", "to": "2026-06-03", "state": "tx"}
        assert parse_filters(campaign, params, today=DAY3) == Filters(DAY1, DAY3, "TX")

    def test_a_missing_start_is_30_days_before_the_end(self, campaign):
        filters = parse_filters(campaign, {"to": "2026-04-30"}, today=DAY3)
        assert filters == Filters(date(2026, 4, 1), date(2026, 4, 30))

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"from": "June 1"}, "from: 'June 1' is not a date"),
            ({"from": "2026-06-04", "to": "2026-06-03"}, "start date is after the end date"),
            ({"state": "XX"}, "'XX' is not a state code"),
            ({"to": "9999-12-31"}, "to: 9999-12-31 is not between 2000-01-01 and 2100-12-31"),
            ({"from": "0001-01-01"}, "from: 0001-01-01 is not between 2000-01-01 and 2100-12-31"),
            ({"from": "2000-01-01", "to": "2100-12-31"}, "at most 731 days at a time"),
        ],
    )
    def test_bad_values_say_what_is_wrong(self, campaign, params, message):
        with pytest.raises(ValueError, match=message):
            parse_filters(campaign, params, today=DAY3)

    def test_days_are_local_days(self):
        filters = Filters(DAY1, DAY1)
        assert filters.since == noon(DAY1) - timedelta(hours=12)
        assert filters.until - filters.since == timedelta(days=1)


def test_overview_has_all_time_numbers_and_a_month_of_days(scenario):
    [(campaign, letters, per_day)] = overview(
        Campaign.objects.filter(pk=scenario.campaign.pk), today=DAY3
    )
    assert (campaign.visits, campaign.submission_total) == (11, 7)
    assert letters == counts(10, delivered=5, pending=1, retrying=1, failed=3)
    assert len(per_day) == 30
    assert per_day[-5:] == [0, 1, 5, 1, 3]


@pytest.mark.django_db
def test_visits_recorded_as_events_become_tallies():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("campaigns.migrations.0003_visits_from_events")
    campaign = factories.campaign()
    factories.visit(campaign, source="twitter", created_at=noon(DAY2))
    for when, source in [(DAY2, "twitter"), (DAY2, "twitter"), (DAY2, ""), (DAY3, "")]:
        Event.objects.create(campaign=campaign, kind="visit", source=source, created_at=noon(when))
    factories.event(campaign, created_at=noon(DAY2))

    migration.visits_to_tallies(apps, None)
    assert {(row.day, row.source): row.visits for row in VisitTally.objects.all()} == {
        (DAY2, "twitter"): 3,
        (DAY2, ""): 1,
        (DAY3, ""): 1,
    }
    assert list(Event.objects.values_list("kind", flat=True)) == [Event.Kind.LOOKUP]
