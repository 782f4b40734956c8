"""By hand, not a test: the staff dashboard of a campaign with a million letters.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/constituent \\
        .venv/bin/python bench/stats_dashboard.py [--letters 1000000] [--runs 5] [--keep]

It builds a throwaway database beside DATABASE_URL's (test_<name>_<letters>),
fills it with INSERT … SELECT generate_series (the letters, of realistic width
unless --body-chars says otherwise, their submissions and supporters, and 0.4
lookups per letter), then times the dashboard page through Django's test
client against a baseline measured in the same run: a bare count(*) of the
campaign's letters. The dashboard is timed twice: with its numbers computed
(STATS_CACHE_SECONDS = 0) and with them kept from the previous view; then
the staff overview. --keep keeps the database for the next run (and reuses
it). Results go to docs/benchmarks.md by hand.
"""

import argparse
import os
import resource
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The throwaway database's numbers are kept in this process, not in a cache
# that a development server may share.
os.environ["CACHE_URL"] = "locmem://"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from campaigns import stats  # noqa: E402
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
        elif not campaign.events.exists():  # a fill cut off in its letters
            body = (BODY * (args.body_chars // len(BODY) + 1))[: args.body_chars]
            fill_letters(campaign, args.letters, body, time.perf_counter())
        client = Client()
        client.force_login(User.objects.get_or_create(username="bench", is_staff=True)[0])
        measure(client, campaign, args.runs, f"{args.letters:,} letters", not args.skip_csv)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def fill(slug, letters, body_chars):
    started = time.perf_counter()
    # Created a month ago, so the dashboard's default range holds every letter.
    campaign = Campaign.objects.create(
        slug=slug,
        title=f"{letters:,} letters",
        status=Campaign.Status.LIVE,
        created_at=timezone.now() - timedelta(days=30),
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
    with connection.cursor() as cursor:
        seats = _seats(cursor)
        supporters = -(-letters // 3)  # three letters each: the letters, rounded up
        cursor.execute(
            """
            INSERT INTO campaigns_supporter (uuid, campaign_id, email, prefix, first_name,
                last_name, street, city, state, zip_code, phone, opt_in_text, created_at)
            SELECT gen_random_uuid(), %(campaign)s, 'supporter' || g || '@example.org', 'Ms.',
                'Ada', 'Supporter' || g, g || ' Main St', 'Springfield', seat.state,
                lpad(seat.n::text, 5, '0'), '', '', now() - random() * interval '30 days'
            FROM generate_series(0, %(supporters)s - 1) g JOIN seat ON seat.n = g %% %(seats)s
            """,
            {"campaign": campaign.pk, "supporters": supporters, "seats": seats},
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
            {"campaign": campaign.pk, "body": body},
        )
    fill_letters(campaign, letters, body, started)
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


def fill_letters(campaign, letters, body, started):
    """Three letters per submission that has none yet (so a fill cut off
    resumes), then the visits and lookups."""
    with connection.cursor() as cursor:
        _seats(cursor)
        # In slices of about a million letters, so that a slice's statement
        # (and the triggers' transition tables) stay a manageable size; the
        # seat is given, as the trigger would copy it.
        step = 1_000_000 // 3
        cursor.execute(
            "SELECT min(id), max(id) FROM campaigns_submission sub WHERE campaign_id = %s "
            "AND NOT EXISTS (SELECT FROM campaigns_letter WHERE submission_id = sub.id)",
            [campaign.pk],
        )
        first, last = cursor.fetchone()
        for low in range(first, last + 1, step):
            cursor.execute(
                """
                INSERT INTO campaigns_letter (uuid, campaign_id, submission_id, supporter_id,
                    legislator_id, office_state, office_district, subject, salutation, body,
                    status, channel, attempts, last_error, failure_reason, created_at,
                    delivered_at, failed_at)
                SELECT gen_random_uuid(), sub.campaign_id, sub.id, sub.supporter, sub.office_id,
                    sub.state, sub.office_district, 'Please act', 'Member', %(body)s,
                    outcome.status, 'cwc', 1, '',
                    CASE WHEN outcome.status = 'failed'
                         THEN (ARRAY['Rejected by the office', 'Mailbox full',
                                     'Invalid address'])[1 + sub.id %% 3] ELSE '' END,
                    sub.created_at,
                    CASE WHEN outcome.status = 'delivered'
                         THEN sub.created_at + random() * interval '10 minutes' END,
                    CASE WHEN outcome.status = 'failed' THEN sub.created_at END
                -- random() in a derived table's columns: one draw per letter (a
                -- LATERAL draw was memoized per office, one status per office).
                FROM (
                    SELECT sub.*, sup.id AS supporter, office.id AS office_id,
                        office.district AS office_district, seat.state, random() AS r
                    FROM campaigns_submission sub
                    JOIN campaigns_supporter sup ON sup.id = sub.supporter_id
                    JOIN seat ON seat.n = sup.zip_code::int
                    CROSS JOIN LATERAL (VALUES (seat.rep, seat.district),
                        (seat.sen1, NULL::int), (seat.sen2, NULL)) AS office (id, district)
                    WHERE sub.campaign_id = %(campaign)s AND sub.id >= %(low)s
                        AND sub.id < %(high)s
                ) AS sub
                CROSS JOIN LATERAL (
                    SELECT CASE WHEN sub.r < 0.85 THEN 'delivered' WHEN sub.r < 0.90 THEN 'queued'
                                WHEN sub.r < 0.95 THEN 'retrying' ELSE 'failed' END AS status
                ) AS outcome
                """,
                {"campaign": campaign.pk, "body": body, "low": low, "high": low + step},
            )
            print(f"  {cursor.rowcount:,} letters at {time.perf_counter() - started:.0f} s")
        # A million visits, as beat leaves them: counted per day and source.
        cursor.execute(
            """
            INSERT INTO campaigns_visittally (campaign_id, day, source, visits)
            SELECT %s, current_date - d, source, 11111
            FROM generate_series(0, 29) d, unnest(ARRAY['newsletter', 'twitter', '']) source
            """,
            [campaign.pk],
        )
        for kind, count in [("lookup", letters * 38 // 100), ("lookup_failed", letters // 50)]:
            cursor.execute(
                """
                INSERT INTO campaigns_event (campaign_id, kind, source, created_at)
                SELECT %s, %s, (ARRAY['newsletter', 'twitter', '', ''])[1 + g %% 4],
                    now() - random() * interval '30 days'
                FROM generate_series(1, %s) g
                """,
                [campaign.pk, kind, count],
            )
        # As autovacuum would have by now: statistics, and the visibility map
        # that index-only scans need.
        cursor.execute("VACUUM ANALYZE")
    written = Letter.objects.filter(campaign=campaign).count()
    print(f"Filled {written:,} letters in {time.perf_counter() - started:.0f} s")
    return campaign


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

    def overview():
        assert client.get("/staff/").status_code == 200

    def numbers():
        """The dashboard's numbers alone: what grows with letters, without the page."""
        stats.campaign_stats(campaign, stats.parse_filters(campaign, {}))

    print(f"\n== {label}: median of {runs} runs after a warm-up")
    baseline = timed(count_letters, runs)
    print(f"baseline count(*) of the letters  {baseline * 1000:8.0f} ms")
    views = [
        ("numbers alone (campaign_stats)", numbers),
        ("dashboard, numbers computed", computed),
        ("dashboard, numbers kept", dashboard),
        ("overview /staff/", overview),
    ]
    for name, view in views:
        median = timed(view, runs)
        print(f"{name:<34}{median * 1000:8.0f} ms   {median / baseline:5.1f}x the baseline")
    print("slowest dashboard queries:")
    with slowest_queries() as queries:
        computed()
    for seconds, sql in sorted(queries, reverse=True)[:6]:
        print(f"  {seconds * 1000:7.0f} ms  {sql[:110]}")
    if csv:
        stream_csv(client, campaign)


def timed(function, runs):
    function()  # warm the caches
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations)


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
