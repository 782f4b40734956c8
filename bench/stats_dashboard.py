"""By hand, not a test: the staff dashboard of a campaign with a million letters.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/constituent_loadbench \\
        .venv/bin/python bench/stats_dashboard.py [--letters 1000000] [--runs 5] [--keep]

It builds a throwaway database beside BENCH_DATABASE_URL's (or
DATABASE_URL's), test_<name>_<letters>, and fills it in one transaction
with INSERT … SELECT generate_series: supporters crowding some seats and
joining mostly in the first days, a submission each and a letter to each
of their three members (of realistic width unless --body-chars says
otherwise; statuses, failure reasons and delivery times spread as a
campaign's), 0.4 lookups per letter and as many visits as letters. The
bulk is written with the triggers and secondary indexes off, the indexes
then built and the tallies recounted by `rebuild_tallies`; the last
letters are written, and some delivered, with the triggers on; the
rollups are then compared with a scan of the last days' rows. Ten million
letters take minutes, not the hour that keeping the indexes up row by row
took.

Then it times the dashboard page through Django's test client against a
baseline measured in the same run: a bare count(*) of the campaign's
letters. The dashboard is timed with its numbers computed
(STATS_CACHE_SECONDS = 0), then so and its tables rendered afresh (as
after the numbers changed; unchanged, they are kept rendered), and with
the numbers kept from the previous view; then the staff overview.
--keep keeps the database for the next run (and reuses it). Results go
to docs/benchmarks.md by hand.
"""

import argparse
import os
import resource
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from unittest import mock
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# BENCH_DATABASE_URL, as the other benchmarks: the database beside which
# the throwaway one is made.
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
# The throwaway database's numbers are kept in this process, not in a cache
# that a development server may share.
os.environ["CACHE_URL"] = "locmem://"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.fill import LETTERS_SQL, bulk_load, fill_rows, seats  # noqa: E402
from campaigns import rollups, stats, tallies  # noqa: E402
from campaigns.models import Campaign, Letter  # noqa: E402
from legislators.divisions import APPORTIONMENT  # noqa: E402
from legislators.models import Chamber, Legislator  # noqa: E402

LETTERS = 1_000_000
BODY = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. "  # 57 characters


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=LETTERS)
    parser.add_argument(
        "--body-chars", type=int, default=1100, help="width of each letter and submission body"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the database")
    parser.add_argument("--skip-csv", action="store_true", help="do not stream the letters CSV")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")

    # The bench user signs in without a second factor.
    settings.TWO_FACTOR_FOR_STAFF = False
    setup_test_environment()
    # One database per size, so a kept million does not stand in for ten.
    name = f"test_{connection.settings_dict['NAME']}_{args.letters}"
    connection.settings_dict["TEST"]["NAME"] = name
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep)
    try:
        slug = f"bench-{args.letters}"
        campaign = Campaign.objects.filter(slug=slug).first()
        if campaign is None:
            campaign = fill(slug, args.letters, args.body_chars)
            with connection.cursor() as cursor:
                # As autovacuum would have by now: the visibility map that
                # index-only scans need (not in the fill's transaction).
                cursor.execute("VACUUM ANALYZE")
        client = Client()
        client.force_login(User.objects.get_or_create(username="bench", is_staff=True)[0])
        measure(client, campaign, args.runs, f"{args.letters:,} letters", not args.skip_csv)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


# The submissions whose letters are written with the triggers on (and then
# some of them delivered), so that the check at the end compares what the
# triggers counted with the recount, not the recount with itself.
BY_TRIGGERS = 10_000
CHECKED_DAYS = 3
# The campaign's age, and the span its rows are written over: its first
# local day is then the first of the dashboard's default 30 days, so that
# range holds every letter (at 30 days, the first hours of the launch day
# fell before it) and is the campaign's whole life, read from the totals
# over the days. Reused with --keep on a later day, the range is not.
LIFE_DAYS = 29


@transaction.atomic
def fill(slug, letters, body_chars):
    """The campaign, its members, supporters, submissions, letters, lookups
    and visits; all or nothing (one transaction), so a fill cut off leaves
    nothing to resume."""
    started = time.perf_counter()
    campaign = Campaign.objects.create(
        slug=slug,
        title=f"{letters:,} letters",
        status=Campaign.Status.LIVE,
        created_at=timezone.now() - timedelta(days=LIFE_DAYS),
        letter_subject="Please act",
        letter_body="Dear {legislator_title},",
    )
    for state, count in APPORTIONMENT.items():
        for rank in (1, 2):
            Legislator.objects.create(
                bioguide_id=f"S{state}{rank}",
                first_name="Sen",
                last_name=f"{state}{rank}",
                chamber=Chamber.SENATE,
                state=state,
            )
        for district in range(1, count + 1) if count > 1 else [0]:
            Legislator.objects.create(
                bioguide_id=f"H{state}{district:02d}",
                first_name="Rep",
                last_name=f"{state}{district}",
                chamber=Chamber.HOUSE,
                state=state,
                district=district,
            )
    body = (BODY * (body_chars // len(BODY) + 1))[:body_chars]
    supporters = -(-letters // 3)  # three letters each: the letters, rounded up
    params = {
        "campaign": campaign.pk,
        "body": body,
        "supporters": supporters,
        "by_triggers": min(BY_TRIGGERS, supporters // 10),
        "life": timedelta(days=LIFE_DAYS),
    }
    with connection.cursor() as cursor:
        params["seats"] = _seats(cursor)
        with bulk_load(cursor):
            fill_rows(cursor, params, started)
        print(f"  indexed and recounted at {time.perf_counter() - started:.0f} s")
        fill_by_triggers(cursor, params)
    written = Letter.objects.filter(campaign=campaign).count()
    print(f"Filled {written:,} letters in {time.perf_counter() - started:.0f} s")
    return campaign


def _seats(cursor):
    """The seat table of the made-up roster: supporter n lives in seat n."""
    return seats(
        cursor,
        """
        JOIN legislators_legislator sen1 ON sen1.bioguide_id = 'S' || rep.state || '1'
        JOIN legislators_legislator sen2 ON sen2.bioguide_id = 'S' || rep.state || '2'
        WHERE rep.bioguide_id LIKE 'H%'
        """,
    )


def fill_by_triggers(cursor, params):
    """The last letters written, and some delivered, with the triggers on;
    then every rollup compared with a scan of the rows."""
    low = params["last"] - params["by_triggers"] + 1
    cursor.execute(LETTERS_SQL, {**params, "low": low, "high": params["last"]})
    cursor.execute(
        "UPDATE campaigns_letter SET status = 'delivered', delivered_at = now() "
        "WHERE campaign_id = %(campaign)s AND status = 'queued' AND submission_id >= %(low)s",
        {**params, "low": low},
    )
    # A sample: the last CHECKED_DAYS days, read through the indexes on
    # created_at (the whole tables would take as long as the recount).
    since = timezone.make_aware(
        datetime.combine(
            timezone.localdate() - timedelta(days=CHECKED_DAYS - 1), datetime.min.time()
        )
    )
    wrong = rollups.differences(since=since) | tallies.differences(since=since)
    if any(wrong.values()):
        sys.exit(f"The rollups differ from a scan of the rows: {wrong}")
    print(
        f"  rollups equal a scan of the rows of the last {CHECKED_DAYS} days ({', '.join(wrong)})"
    )


def measure(client, campaign, runs, label, csv):
    def count_letters():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM campaigns_letter WHERE campaign_id = %s", [campaign.pk]
            )

    def dashboard():
        assert client.get(f"/staff/{campaign.slug}/").status_code == 200

    def computed():
        with override_settings(STATS_CACHE_SECONDS=0):
            dashboard()

    def rendered():
        """Computed, and its tables written afresh, as when the numbers have
        changed since the last view (their digest is new each time)."""
        with mock.patch("campaigns.views.staff.tables_version", lambda numbers: uuid4().hex):
            computed()

    def overview():
        assert client.get("/staff/").status_code == 200

    def numbers():
        """The dashboard's numbers alone: what grows with letters, without the page."""
        stats.campaign_stats(campaign, stats.parse_filters(campaign, {}))

    print(f"\n== {label}: median of {runs} runs after a warm-up")
    baseline, low, high = timed(count_letters, runs)
    print(f"baseline count(*) of the letters  {baseline * 1000:8.0f} ms ({_ms(low)}–{_ms(high)})")
    views = [
        ("numbers alone (campaign_stats)", numbers),
        ("dashboard, numbers computed", computed),
        ("  ... and its tables rendered", rendered),
        ("dashboard, numbers kept", dashboard),
        ("overview /staff/", overview),
    ]
    for name, view in views:
        median, low, high = timed(view, runs)
        print(
            f"{name:<34}{median * 1000:8.0f} ms ({_ms(low)}–{_ms(high)})"
            f"   {median / baseline:5.1f}x the baseline"
        )
    print("slowest dashboard queries:")
    with slowest_queries() as queries:
        computed()
    for seconds, sql in sorted(queries, reverse=True)[:6]:
        print(f"  {seconds * 1000:7.0f} ms  {sql[:110]}")
    if csv:
        stream_csv(client, campaign)


def timed(function, runs):
    """The median duration of `runs` calls after a warm-up, and the
    fastest and slowest."""
    function()  # warm the caches
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations), min(durations), max(durations)


def _ms(seconds):
    return f"{seconds * 1000:.0f}"


@contextmanager
def slowest_queries():
    queries = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - started, " ".join(sql.split())))

    with connection.execute_wrapper(record):
        yield queries


def stream_csv(client, campaign):
    """The letters CSV end to end, and how much the process grew meanwhile."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.get(f"/staff/{campaign.slug}/letters.csv")
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(f"letters CSV: {size / 1e6:.0f} MB in {seconds:.1f} s, peak memory grew {grown:.0f} MB")


if __name__ == "__main__":
    main()
