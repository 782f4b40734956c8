"""Letters by the million, for the benchmarks that need a campaign that
has them (stats_dashboard.py, web.py --letters): written with INSERT …
SELECT generate_series, in one transaction, with the triggers and
secondary indexes off, then indexed and recounted.

Each needs a temporary table `seat` (n, state, district, rep, sen1, sen2):
supporter n writes to the three members of seat n. stats_dashboard.py
builds it from its own made-up roster, `real_seats` from the real one,
both with `seats`.
"""

import time
from contextlib import contextmanager
from io import StringIO

from django.core.management import call_command

# The tables filled in bulk: their triggers and secondary indexes are off
# meanwhile (see bulk_load).
FILLED = ("campaigns_supporter", "campaigns_submission", "campaigns_letter", "campaigns_event")


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
    cursor.execute(
        LETTERS_SQL, {**params, "low": 0, "high": params["last"] - params["by_triggers"]}
    )
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
LETTERS_SQL = """
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


def seats(cursor, senators):
    """The temporary table `seat`, numbered from 0: each House member in
    the rows of `legislators_legislator rep`, with the state's two senators
    sen1 and sen2 that `senators` (joins and a WHERE) picks. Its size."""
    cursor.execute("DROP TABLE IF EXISTS seat")
    # The senators' SQL is the callers' own.
    cursor.execute(
        "CREATE TEMP TABLE seat AS "  # noqa: S608
        "SELECT row_number() OVER (ORDER BY rep.id) - 1 AS n, rep.state, rep.district, "
        "rep.id AS rep, sen1.id AS sen1, sen2.id AS sen2 "
        f"FROM legislators_legislator rep {senators}"
    )
    cursor.execute("SELECT count(*) FROM seat")
    return cursor.fetchone()[0]


def real_seats(cursor):
    """The seats of the members in office (the delegates, who have no
    senators, left out)."""
    return seats(
        cursor,
        """
        JOIN legislators_legislator sen1 ON sen1.state = rep.state
            AND sen1.chamber = 'senate' AND sen1.in_office AND sen1.state_rank = 'senior'
        JOIN legislators_legislator sen2 ON sen2.state = rep.state
            AND sen2.chamber = 'senate' AND sen2.in_office AND sen2.state_rank = 'junior'
        WHERE rep.chamber = 'house' AND rep.in_office
        """,
    )
