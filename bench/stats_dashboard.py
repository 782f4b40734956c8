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
from io import StringIO
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
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

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


# The tables filled in bulk: their triggers and secondary indexes are off
# meanwhile (see bulk_load).
FILLED = ("campaigns_supporter", "campaigns_submission", "campaigns_letter", "campaigns_event")
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
    """A temporary table of the seats, numbered: supporter n lives in seat n."""
    cursor.execute("DROP TABLE IF EXISTS seat")
    cursor.execute(
        """
        CREATE TEMP TABLE seat AS
        SELECT row_number() OVER (ORDER BY rep.id) - 1 AS n, rep.state, rep.district,
            rep.id AS rep, sen1.id AS sen1, sen2.id AS sen2
        FROM legislators_legislator rep
        JOIN legislators_legislator sen1 ON sen1.bioguide_id = 'S' || rep.state || '1'
        JOIN legislators_legislator sen2 ON sen2.bioguide_id = 'S' || rep.state || '2'
        WHERE rep.bioguide_id LIKE 'H%%'
        """
    )
    cursor.execute("SELECT count(*) FROM seat")
    return cursor.fetchone()[0]


@contextmanager
def bulk_load(cursor):
    """Fill FILLED without their triggers and secondary indexes, then build
    each index in one sort and recount the tallies and rollups with the
    project's own `rebuild_tallies`.

    Kept up row by row, the indexes (random UUIDs among them) outgrow the
    buffers and the fill waits on the disk: a million letters took 7
    minutes this way, ten million would take more than an hour. The
    triggers would count the same rows the recount does.
    """
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype = 'u'
        """,
        [list(FILLED)],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
            AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        """,
        [list(FILLED)],
    )
    indexes = cursor.fetchall()
    for table, name, _ in constraints:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    # Replica mode fires no ordinary trigger: neither the rollups' nor the
    # foreign keys' checks (the rows are made to match).
    cursor.execute("SET LOCAL session_replication_role = replica")
    yield
    cursor.execute("SET LOCAL session_replication_role = origin")
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for table, name, definition in constraints:
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    for _, definition in indexes:
        cursor.execute(definition)
    call_command("rebuild_tallies", stdout=StringIO())


def fill_rows(cursor, params, started):
    """Supporters in every seat (more in some), each with one submission and
    a letter to each of their three members, written over the month with a
    launch-day peak; and the lookups and visits."""
    # Supporters crowd some seats (a draw skewed towards low seat numbers)
    # and join mostly in the first days, fewer each day after.
    cursor.execute(
        """
        INSERT INTO campaigns_supporter (uuid, campaign_id, email, prefix, language, first_name,
            last_name, street, city, state, zip_code, phone, opt_in_text, created_at)
        SELECT gen_random_uuid(), %(campaign)s, 'supporter' || g || '@example.org', 'Ms.', 'en',
            'Ada', 'Supporter' || g, g || ' Main St', 'Springfield', seat.state,
            lpad(seat.n::text, 5, '0'), '', '',
            now() - %(life)s * (1 - power(g.r, 2))
        FROM (SELECT g, random() AS r, floor(%(seats)s * power(random(), 1.5))::int AS n
              FROM generate_series(0, %(supporters)s - 1) g) AS g
        JOIN seat ON seat.n = g.n
        """,
        params,
    )
    cursor.execute(
        """
        INSERT INTO campaigns_submission (uuid, idempotency_key, campaign_id, supporter_id,
            subject, body, edited, lookup_source, matched_address, district_ocd_id,
            source, utm, created_at)
        SELECT gen_random_uuid(), 'key-' || s.id, s.campaign_id, s.id, 'Please act', %(body)s,
            random() < 0.3, 'census', '', '',
            (ARRAY['newsletter', 'twitter', '', ''])[1 + s.id %% 4],
            CASE WHEN s.id %% 3 = 0 THEN '{"utm_source": "mail", "utm_medium": "email"}'
                 ELSE '{}' END::jsonb,
            s.created_at
        FROM campaigns_supporter s WHERE s.campaign_id = %(campaign)s
        """,
        params,
    )
    print(f"  {params['supporters']:,} supporters at {time.perf_counter() - started:.0f} s")
    cursor.execute(
        "SELECT max(id) FROM campaigns_submission WHERE campaign_id = %(campaign)s", params
    )
    params["last"] = cursor.fetchone()[0]
    cursor.execute(LETTERS, {**params, "low": 0, "high": params["last"] - params["by_triggers"]})
    print(f"  {cursor.rowcount:,} letters at {time.perf_counter() - started:.0f} s")
    # A million visits per million letters, as beat leaves them: counted
    # per day and source.
    cursor.execute(
        """
        INSERT INTO campaigns_visittally (campaign_id, day, source, visits)
        SELECT %(campaign)s, current_date - d, source, %(supporters)s / 30
        FROM generate_series(0, 29) d, unnest(ARRAY['newsletter', 'twitter', '']) source
        """,
        params,
    )
    for kind, share in [("lookup", 0.38), ("lookup_failed", 0.02)]:
        cursor.execute(
            """
            INSERT INTO campaigns_event (campaign_id, kind, source, created_at)
            SELECT %(campaign)s, %(kind)s, (ARRAY['newsletter', 'twitter', '', ''])[1 + g %% 4],
                now() - %(life)s * (1 - power(random(), 2))
            FROM generate_series(1, %(count)s) g
            """,
            {**params, "kind": kind, "count": int(params["supporters"] * 3 * share)},
        )


# Three letters per submission, one to each of the supporter's members, the
# seat given as the trigger would copy it. Statuses and delivery times
# spread as a campaign's are: most delivered within seconds to minutes
# (log-uniform from 1 s to an hour), a few still waiting, failed, rejected
# by the office or with no route to it.
LETTERS = """
INSERT INTO campaigns_letter (uuid, campaign_id, submission_id, supporter_id,
    legislator_id, office_state, office_district, subject, salutation, body,
    status, channel, attempts, last_error, failure_reason, gateway_answer, created_at,
    delivered_at, failed_at)
SELECT gen_random_uuid(), sub.campaign_id, sub.id, sub.supporter, sub.office_id,
    sub.state, sub.office_district, 'Please act', 'Member', %(body)s,
    outcome.status, 'cwc', 1, '',
    CASE WHEN outcome.status = 'failed'
         THEN (ARRAY['Mailbox full', 'Timed out', 'Invalid address'])[1 + sub.id %% 3]
         WHEN outcome.status = 'rejected' THEN 'Rejected by the office'
         WHEN outcome.status = 'no_route' THEN 'No channel reaches this office'
         ELSE '' END,
    '', sub.created_at,
    CASE WHEN outcome.status = 'delivered'
         THEN sub.created_at + interval '1 second' * exp(sub.delay * ln(3600)) END,
    CASE WHEN outcome.status IN ('failed', 'rejected') THEN sub.created_at END
-- random() in a derived table's columns: one draw per letter (a LATERAL
-- draw was memoized per office, one status per office).
FROM (
    SELECT sub.*, sup.id AS supporter, office.id AS office_id,
        office.district AS office_district, seat.state, random() AS r, random() AS delay
    FROM campaigns_submission sub
    JOIN campaigns_supporter sup ON sup.id = sub.supporter_id
    JOIN seat ON seat.n = sup.zip_code::int
    CROSS JOIN LATERAL (VALUES (seat.rep, seat.district),
        (seat.sen1, NULL::int), (seat.sen2, NULL)) AS office (id, district)
    WHERE sub.campaign_id = %(campaign)s AND sub.id BETWEEN %(low)s AND %(high)s
) AS sub
CROSS JOIN LATERAL (
    SELECT CASE WHEN sub.r < 0.85 THEN 'delivered' WHEN sub.r < 0.90 THEN 'queued'
                WHEN sub.r < 0.94 THEN 'retrying' WHEN sub.r < 0.97 THEN 'failed'
                WHEN sub.r < 0.99 THEN 'rejected' ELSE 'no_route' END AS status
) AS outcome
"""


def fill_by_triggers(cursor, params):
    """The last letters written, and some delivered, with the triggers on;
    then every rollup compared with a scan of the rows."""
    low = params["last"] - params["by_triggers"] + 1
    cursor.execute(LETTERS, {**params, "low": low, "high": params["last"]})
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
