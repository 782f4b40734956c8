"""The dashboard's rollups, kept by database triggers like LetterTally (see
tallies.py for why triggers): letters per office and seat (OfficeTally),
delivery times and failure reasons (OutcomeTally, and OutcomeTotal over
every state), the letters that did not get through per office and reason
(OfficeFailureTally), submissions per source
and tags (SourceTally) and lookups (EventTally), each per campaign and
local day, so a campaign's dashboard reads a few rows per day and office
however many letters it has. The two largest, per office and per office's
failures, are also kept without the day (OfficeTotal, OfficeFailureTotal):
a range that takes in a campaign's whole life reads a few rows per office.
`manage.py rebuild_tallies` recounts them.

Each Rollup names the table counted, the tally table and the tally's key as
SQL over one row of the counted table; the PostgreSQL statement-level
triggers, the SQLite row triggers and the recount are all made from that
one definition, so they cannot disagree. Statuses are counted by their
string: a new status needs no change here.
"""

from dataclasses import dataclass

from django.db import connection, transaction

from campaigns.tallies import _zone

# A letter's local day, as tallies.py counts it ({r} is the row, {zone} TIME_ZONE).
DAY = {
    "postgresql": "({r}.created_at AT TIME ZONE '{zone}')::date",
    "sqlite": "django_datetime_cast_date({r}.created_at, '{zone}', 'UTC')",
}
# The seat a letter was written to. On PostgreSQL a BEFORE trigger has
# copied it into the row; SQLite can only fill it by an UPDATE after the
# insert, so there the key reads it from the member until then (the same
# seat, so that UPDATE moves nothing).
SEAT_STATE = {
    "postgresql": "{r}.office_state",
    "sqlite": "CASE WHEN {r}.office_state = '' AND {r}.legislator_id IS NOT NULL THEN "
    "coalesce((SELECT state FROM legislators_legislator WHERE id = {r}.legislator_id), '') "
    "ELSE {r}.office_state END",
}
SEAT_DISTRICT = {
    "postgresql": "coalesce({r}.office_district, -1)",
    "sqlite": "coalesce(CASE WHEN {r}.office_state = '' AND {r}.legislator_id IS NOT NULL THEN "
    "(SELECT district FROM legislators_legislator WHERE id = {r}.legislator_id) "
    "ELSE {r}.office_district END, -1)",
}
# Seconds from writing to delivery, and its bucket: DELAY_STEPS per
# doubling of (1 + seconds), so a bucket is 2.2 % wide wherever it lies.
SECONDS = {
    "postgresql": "extract(epoch FROM {r}.delivered_at - {r}.created_at)::float8",
    "sqlite": "(julianday({r}.delivered_at) - julianday({r}.created_at)) * 86400",
}
DELAY = {
    "postgresql": "CASE WHEN {r}.status = 'failed' THEN -1 WHEN {r}.status = 'rejected' THEN -2 "
    "ELSE floor({steps} * ln(1 + greatest({seconds}, 0)) / ln(2))::int END",
    "sqlite": "CASE WHEN {r}.status = 'failed' THEN -1 WHEN {r}.status = 'rejected' THEN -2 "
    "ELSE CAST({steps} * ln(1 + max({seconds}, 0)) / ln(2) AS INTEGER) END",
}
# The supporter's state, for a submission.
SUPPORTER_STATE = (
    "coalesce((SELECT state FROM campaigns_supporter WHERE id = {r}.supporter_id), '')"
)
TAGGED = {"postgresql": "{r}.utm <> '{}'::jsonb", "sqlite": "json({r}.utm) <> '{}'"}
UTM = {
    "postgresql": "coalesce({r}.utm ->> '{tag}', '')",
    "sqlite": "coalesce(json_extract({r}.utm, '$.{tag}'), '')",
}


@dataclass(frozen=True)
class Rollup:
    name: str  # of the triggers and the function
    source: str  # the table counted
    table: str  # the tally
    count: str  # the tally's column that counts
    key: dict  # the tally's key column: SQL over row {r} of source, per vendor or for all
    where: str = "true"  # which rows of source are counted
    daily: "Rollup | None" = None  # the rollup with the day that this one totals

    def keys(self, vendor, row, **overrides):
        """The key as (column, SQL over `row`), for this vendor."""
        return [
            (column, overrides.get(column) or _sql(expression, vendor, row))
            for column, expression in self.key.items()
        ]

    def condition(self, vendor, row):
        return _sql(self.where, vendor, row)


def _sql(expression, vendor, row):
    if isinstance(expression, dict):
        expression = expression[vendor]
    # replace, not format: the SQL has braces of its own ('{}'::jsonb).
    return (
        expression.replace("{seconds}", SECONDS[vendor])
        .replace("{steps}", "32")
        .replace("{r}", row)
        .replace("{zone}", _zone())
    )


OFFICES = Rollup(
    name="campaigns_letter_offices",
    source="campaigns_letter",
    table="campaigns_officetally",
    count="letters",
    key={
        "campaign_id": "{r}.campaign_id",
        "day": DAY,
        "status": "{r}.status",
        "legislator_pk": "coalesce({r}.legislator_id, 0)",
        "custom_target_pk": "coalesce({r}.custom_target_id, 0)",
        "state": SEAT_STATE,
        "district": SEAT_DISTRICT,
    },
)
OUTCOMES = Rollup(
    name="campaigns_letter_outcomes",
    source="campaigns_letter",
    table="campaigns_outcometally",
    count="letters",
    key={
        "campaign_id": "{r}.campaign_id",
        "day": DAY,
        "state": SEAT_STATE,
        "delay": DELAY,
        "failure_reason": "CASE WHEN {r}.status IN ('failed', 'rejected') "
        "THEN substr({r}.failure_reason, 1, 300) ELSE '' END",
    },
    where="(({r}.status = 'delivered' AND {r}.delivered_at IS NOT NULL) "
    "OR {r}.status IN ('failed', 'rejected'))",
)
# The same over every state, so that the dashboard without a state filter
# reads a state's rows times fewer.
OUTCOME_TOTALS = Rollup(
    name="campaigns_letter_outcome_totals",
    source="campaigns_letter",
    table="campaigns_outcometotal",
    count="letters",
    key={column: sql for column, sql in OUTCOMES.key.items() if column != "state"},
    where=OUTCOMES.where,
)
# The letters that did not get through, per office and reason: the
# dashboard's delivery health by office.
OFFICE_FAILURES = Rollup(
    name="campaigns_letter_office_failures",
    source="campaigns_letter",
    table="campaigns_officefailuretally",
    count="letters",
    key={
        "campaign_id": "{r}.campaign_id",
        "day": DAY,
        "legislator_pk": "coalesce({r}.legislator_id, 0)",
        "custom_target_pk": "coalesce({r}.custom_target_id, 0)",
        "state": SEAT_STATE,
        "status": "{r}.status",
        "failure_reason": "substr({r}.failure_reason, 1, 300)",
    },
    where="{r}.status IN ('rejected', 'failed', 'no_route')",
)


def over_every_day(daily, name, table):
    """The daily rollup's counts without the day: the same letters, kept by
    triggers of their own (so a range over the whole life reads no day)."""
    return Rollup(
        name=name,
        source=daily.source,
        table=table,
        count=daily.count,
        key={column: sql for column, sql in daily.key.items() if column != "day"},
        where=daily.where,
        daily=daily,
    )


OFFICE_TOTALS = over_every_day(OFFICES, "campaigns_letter_office_totals", "campaigns_officetotal")
OFFICE_FAILURE_TOTALS = over_every_day(
    OFFICE_FAILURES, "campaigns_letter_office_failure_totals", "campaigns_officefailuretotal"
)
SOURCES = Rollup(
    name="campaigns_submission_sources",
    source="campaigns_submission",
    table="campaigns_sourcetally",
    count="submissions",
    key={
        "campaign_id": "{r}.campaign_id",
        "day": DAY,
        "state": SUPPORTER_STATE,
        "source": "{r}.source",
        "edited": "{r}.edited",
        "tagged": TAGGED,
        **{
            tag: {vendor: sql.replace("{tag}", tag) for vendor, sql in UTM.items()}
            for tag in ("utm_source", "utm_medium", "utm_campaign")
        },
    },
)
EVENTS = Rollup(
    name="campaigns_event_kinds",
    source="campaigns_event",
    table="campaigns_eventtally",
    count="events",
    key={
        "campaign_id": "{r}.campaign_id",
        "day": DAY,
        "kind": "{r}.kind",
        "source": "{r}.source",
    },
)
# A total after its daily rollup: the recount sums the daily rows just recounted.
ROLLUPS = (
    OFFICES,
    OFFICE_TOTALS,
    OUTCOMES,
    OUTCOME_TOTALS,
    OFFICE_FAILURES,
    OFFICE_FAILURE_TOTALS,
    SOURCES,
    EVENTS,
)

POSTGRESQL = """
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        -- An update only: when a campaign is deleted its tallies may go first.
        UPDATE {table} AS tally SET {count} = tally.{count} - gone.n
        FROM (SELECT {old_keys}, count(*) AS n FROM old_rows AS r
              WHERE {old_where} GROUP BY {positions}) AS gone
        WHERE ({tally_columns}) = ({gone_columns});
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO {table} ({columns}, {count})
        SELECT {new_keys}, count(*) FROM new_rows AS r WHERE {new_where}
        GROUP BY {positions} ORDER BY {positions}
        {upsert};
    ELSE
        INSERT INTO {table} ({columns}, {count})
        SELECT {columns}, sum(n) FROM (
            SELECT {new_keys}, 1 AS n FROM new_rows AS r WHERE {new_where}
            UNION ALL
            SELECT {old_keys}, -1 FROM old_rows AS r WHERE {old_where}
        ) AS changed
        GROUP BY {positions} HAVING sum(n) <> 0 ORDER BY {positions}
        {upsert};
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER {name}_insert AFTER INSERT ON {source}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {name}();
CREATE OR REPLACE TRIGGER {name}_update AFTER UPDATE ON {source}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION {name}();
CREATE OR REPLACE TRIGGER {name}_delete AFTER DELETE ON {source}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""
UPSERT = "ON CONFLICT ({columns}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}"

SQLITE_ADD = (
    "INSERT INTO {table} ({columns}, {count}) SELECT {new_keys}, {sign}1 WHERE {new_where} "
    "ON CONFLICT ({columns}) DO UPDATE SET {count} = {count} + excluded.{count};"
)
SQLITE_REMOVE = (
    "UPDATE {table} SET {count} = {count} - 1 WHERE {old_where} AND ({columns}) = ({old_keys});"
)
SQLITE = [
    "CREATE TRIGGER {name}_insert AFTER INSERT ON {source} BEGIN {add} END",
    "CREATE TRIGGER {name}_update AFTER UPDATE ON {source} WHEN {changed} BEGIN {remove} {add} END",
    "CREATE TRIGGER {name}_delete AFTER DELETE ON {source} BEGIN {remove} END",
]

# The seat copied into each new letter to a member (see OFFICES).
SEAT_POSTGRESQL = """
CREATE OR REPLACE FUNCTION campaigns_letter_seat() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT state, district INTO NEW.office_state, NEW.office_district
    FROM legislators_legislator WHERE id = NEW.legislator_id;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER campaigns_letter_seat BEFORE INSERT ON campaigns_letter
    FOR EACH ROW WHEN (NEW.legislator_id IS NOT NULL AND NEW.office_state = '')
    EXECUTE FUNCTION campaigns_letter_seat();
"""
SEAT_SQLITE = (
    "CREATE TRIGGER campaigns_letter_seat AFTER INSERT ON campaigns_letter "
    "WHEN NEW.legislator_id IS NOT NULL AND NEW.office_state = '' BEGIN "
    "UPDATE campaigns_letter SET (office_state, office_district) = "
    "(SELECT state, district FROM legislators_legislator WHERE id = NEW.legislator_id) "
    "WHERE id = NEW.id; END"
)
# A supporter's submissions are counted in the supporter's state (as the
# dashboard always counted them), so a new address moves them.
MOVE_POSTGRESQL = """
CREATE OR REPLACE FUNCTION campaigns_supporter_moves() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO campaigns_sourcetally ({columns}, submissions)
    SELECT {columns}, sum(n) FROM (
        SELECT {to_keys}, 1 AS n FROM moved JOIN campaigns_submission AS r
            ON r.supporter_id = moved.id
        UNION ALL
        SELECT {from_keys}, -1 FROM moved JOIN campaigns_submission AS r
            ON r.supporter_id = moved.id
    ) AS changed
    GROUP BY {positions} HAVING sum(n) <> 0 ORDER BY {positions}
    {upsert};
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER campaigns_supporter_moves AFTER UPDATE ON campaigns_supporter
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION campaigns_supporter_moves();
"""
MOVED = (
    "(SELECT new_rows.id, old_rows.state AS old_state, new_rows.state AS new_state "
    "FROM new_rows JOIN old_rows ON old_rows.id = new_rows.id "
    "WHERE old_rows.state IS DISTINCT FROM new_rows.state) AS moved"
)
MOVE_SQLITE = (
    "CREATE TRIGGER campaigns_supporter_moves AFTER UPDATE OF state ON campaigns_supporter "
    "WHEN OLD.state IS NOT NEW.state BEGIN {remove} {add} END"
)
MOVE_SQLITE_PART = (
    "INSERT INTO campaigns_sourcetally ({columns}, submissions) "
    "SELECT {keys}, {sign}count(*) FROM campaigns_submission AS r WHERE r.supporter_id = NEW.id "
    "GROUP BY {positions} "
    "ON CONFLICT ({columns}) DO UPDATE SET submissions = submissions + excluded.submissions;"
)


def _parts(rollup, vendor, new="r", old="r"):
    columns = [column for column, _ in rollup.key.items()]
    new_keys = rollup.keys(vendor, new)
    old_keys = rollup.keys(vendor, old)
    positions = ", ".join(str(n) for n in range(1, len(columns) + 1))
    parts = {
        "name": rollup.name,
        "source": rollup.source,
        "table": rollup.table,
        "count": rollup.count,
        "columns": ", ".join(columns),
        "positions": positions,
        "new_keys": ", ".join(f"{sql} AS {column}" for column, sql in new_keys),
        "old_keys": ", ".join(f"{sql} AS {column}" for column, sql in old_keys),
        "new_where": rollup.condition(vendor, new),
        "old_where": rollup.condition(vendor, old),
        "tally_columns": ", ".join(f"tally.{column}" for column in columns),
        "gone_columns": ", ".join(f"gone.{column}" for column in columns),
    }
    parts["upsert"] = UPSERT.format(**parts)
    if vendor == "sqlite":
        # Old keys bare in a row value: `AS` belongs in a select list only.
        parts["old_keys"] = ", ".join(sql for _, sql in old_keys)
        parts["changed"] = " OR ".join(
            f"({a}) IS NOT ({b})"
            for a, b in [
                *zip((sql for _, sql in old_keys), (sql for _, sql in new_keys), strict=True),
                (parts["old_where"], parts["new_where"]),
            ]
        )
    return parts


def install_triggers(using=connection, rollups=ROLLUPS):
    """(Re)create these rollups' triggers (and the seat's and the moves'),
    for this TIME_ZONE."""
    vendor = using.vendor
    with using.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(SEAT_POSTGRESQL)
            for rollup in rollups:
                cursor.execute(POSTGRESQL.format(**_parts(rollup, vendor)))
            parts = _parts(SOURCES, vendor)
            cursor.execute(
                MOVE_POSTGRESQL.replace("moved JOIN", MOVED + " JOIN").format(
                    **parts,
                    to_keys=_move_keys("moved.new_state"),
                    from_keys=_move_keys("moved.old_state"),
                )
            )
            return
        # SQLite has no CREATE OR REPLACE TRIGGER.
        for name in ["campaigns_letter_seat", "campaigns_supporter_moves", *_names(rollups)]:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(SEAT_SQLITE)
        for rollup in rollups:
            parts = _parts(rollup, vendor, new="NEW", old="OLD")
            parts["add"] = SQLITE_ADD.format(**parts, sign="")
            parts["remove"] = SQLITE_REMOVE.format(**parts)
            for statement in SQLITE:
                cursor.execute(statement.format(**parts))
        moves = {
            name: MOVE_SQLITE_PART.format(
                **_parts(SOURCES, vendor),
                keys=", ".join(_move_keys(f"{row}.state", vendor, as_columns=False)),
                sign=sign,
            )
            for name, row, sign in [("remove", "OLD", "-"), ("add", "NEW", "")]
        }
        cursor.execute(MOVE_SQLITE.format(**moves))


def _move_keys(state, vendor="postgresql", as_columns=True):
    keys = SOURCES.keys(vendor, "r", state=state)
    if not as_columns:
        return [sql for _, sql in keys]
    return ", ".join(f"{sql} AS {column}" for column, sql in keys)


def _names(rollups):
    return [f"{rollup.name}_{operation}" for rollup in rollups for operation in OPERATIONS]


OPERATIONS = ("insert", "update", "delete")
TRIGGERS = [
    ("campaigns_letter", "campaigns_letter_seat"),
    ("campaigns_supporter", "campaigns_supporter_moves"),
    *(
        (rollup.source, f"{rollup.name}_{operation}")
        for rollup in ROLLUPS
        for operation in OPERATIONS
    ),
]
FUNCTIONS = ["campaigns_letter_seat", "campaigns_supporter_moves", *(r.name for r in ROLLUPS)]


def drop_triggers(using=connection):
    with using.cursor() as cursor:
        for table, name in TRIGGERS:
            suffix = f" ON {table}" if using.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}{suffix}")
        if using.vendor == "postgresql":
            for name in FUNCTIONS:
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")


def fill_seats(using=connection):
    """Copy each member's seat into the letters written before the trigger did."""
    with using.cursor() as cursor:
        cursor.execute(
            "UPDATE campaigns_letter SET (office_state, office_district) = "
            "(SELECT state, district FROM legislators_legislator AS member "
            "WHERE member.id = campaigns_letter.legislator_id) "
            "WHERE legislator_id IS NOT NULL AND office_state = ''"
        )


def recount(using=connection, rollups=ROLLUPS):
    """These rollups counted afresh from their rows; a total over the days
    summed from its daily rollup's rows, which must be exact (recounted
    just before, as ROLLUPS orders them, or kept by their triggers), so
    the letters are not read again for each total."""
    # The SQL is made of this module's own names and expressions, no input.
    with using.cursor() as cursor:
        for rollup in rollups:
            parts = _parts(rollup, using.vendor)
            cursor.execute(f"DELETE FROM {rollup.table}")  # noqa: S608
            if rollup.daily:
                counted = _summed(parts, rollup.daily)
            else:
                counted = (
                    "SELECT {new_keys}, count(*) FROM {source} AS r "  # noqa: S608
                    "WHERE {new_where} GROUP BY {positions}".format(**parts)
                )
            columns = f"{parts['columns']}, {rollup.count}"
            cursor.execute(f"INSERT INTO {rollup.table} ({columns}) {counted}")


def _summed(parts, daily):
    """SQL: a total's rows (`parts` of its rollup) as the sums of its daily
    rollup's rows over the days."""
    return (
        "SELECT {columns}, sum({count}) FROM {daily} "  # noqa: S608
        "GROUP BY {positions} HAVING sum({count}) <> 0".format(**parts, daily=daily.table)
    )


def differences(using=connection, rollups=ROLLUPS, since=None):
    """How many rows of each rollup differ from a recount of its rows (rows
    counting nothing aside): all zero when the triggers kept them exactly.
    `since`, an aware datetime at the start of a local day, compares only
    the days from then (read through the indexes on created_at), a sample
    of a large table; a total over the days, which has no day to sample,
    is then compared with the sums of its daily rollup (itself compared
    with the letters of those days)."""
    found = {}
    kept_where = counted_where = "true"
    sample = []
    if since is not None:
        kept_where = f"day >= '{since.date().isoformat()}'"
        # A parameter: SQLite compares the UTC text the backend stores.
        counted_where = "r.created_at >= %s"
        sample = [using.ops.adapt_datetimefield_value(since)]
    # The SQL is made of this module's own names and expressions, and dates.
    with using.cursor() as cursor:
        for rollup in rollups:
            parts = _parts(rollup, using.vendor)
            kept = "SELECT {columns}, {count} FROM {table} WHERE {count} <> 0".format(  # noqa: S608
                **parts
            )
            params = []
            if since is not None and rollup.daily:
                counted = _summed(parts, rollup.daily)
            else:
                params = sample
                counted = (
                    "SELECT {new_keys}, count(*) FROM {source} AS r WHERE {new_where} "  # noqa: S608
                    "AND {since} GROUP BY {positions}".format(**parts, since=counted_where)
                )
                kept += f" AND {kept_where}"
            # Each side's keys are unique, so EXCEPT (SQLite has no EXCEPT ALL).
            cursor.execute(
                f"SELECT (SELECT count(*) FROM ({kept} EXCEPT {counted}) AS extra) "  # noqa: S608
                f"+ (SELECT count(*) FROM ({counted} EXCEPT {kept}) AS missing)",
                params * 2 or None,  # `counted` twice
            )
            found[rollup.table] = cursor.fetchone()[0]
    return found


@transaction.atomic
def rebuild():
    """Install the triggers again and recount; writers wait meanwhile (as in
    tallies.rebuild)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "LOCK TABLE campaigns_letter, campaigns_submission, campaigns_supporter, "
                "campaigns_event IN SHARE ROW EXCLUSIVE MODE"
            )
    install_triggers()
    recount()
