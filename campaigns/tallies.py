"""Letters counted as they are written: one LetterTally row per campaign,
local day and status, kept by database triggers on the letters table (and
each campaign's submissions in SubmissionTally, likewise).

Triggers rather than code beside each write: letters are created, claimed,
delivered, retried, failed, cancelled and deleted from many places, several
by bulk UPDATE, and a trigger sees every one in the same transaction. So
"letters sent so far" and the staff overview read a few rows however many
letters a campaign has.

The day is the letter's created_at in TIME_ZONE, as the dashboards count
days; the triggers hold the zone they were installed with, so after changing
TIME_ZONE run `manage.py rebuild_tallies`, which installs them again and
recounts. On SQLite the trigger calls the date function Django registers on
its connections, so only Django may write letters there (as everywhere).
"""

import re
import zoneinfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate

from campaigns.models import Letter, LetterTally, Submission, SubmissionTally

TRIGGERS = (
    "campaigns_letter_tally_insert",
    "campaigns_letter_tally_update",
    "campaigns_letter_tally_delete",
)
SUBMISSION_TRIGGERS = ("campaigns_submission_tally_insert", "campaigns_submission_tally_delete")


def _zone():
    name = settings.TIME_ZONE
    zoneinfo.ZoneInfo(name)  # a zone that exists, so a name safe to put in SQL
    if not re.fullmatch(r"[A-Za-z0-9_/+-]+", name):
        raise ValueError(f"TIME_ZONE {name!r} cannot be used in a trigger.")
    return name


# PostgreSQL: statement-level triggers read every changed row at once from the
# transition tables, and add each (campaign, day, status) delta in one upsert,
# in a fixed order, so concurrent writers lock tally rows in the same order.
POSTGRESQL_DAY = "(created_at AT TIME ZONE '{zone}')::date"
POSTGRESQL = """
CREATE OR REPLACE FUNCTION campaigns_letter_tally() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        -- An update only: when a campaign is deleted its tallies may go first.
        UPDATE campaigns_lettertally AS tally SET letters = tally.letters - gone.letters
        FROM (SELECT campaign_id, {day} AS day, status, count(*) AS letters
              FROM old_rows GROUP BY 1, 2, 3) AS gone
        WHERE (tally.campaign_id, tally.day, tally.status)
            = (gone.campaign_id, gone.day, gone.status);
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO campaigns_lettertally (campaign_id, day, status, letters)
        SELECT campaign_id, {day}, status, count(*) FROM new_rows
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (campaign_id, day, status)
        DO UPDATE SET letters = campaigns_lettertally.letters + excluded.letters;
        RETURN NULL;
    END IF;
    INSERT INTO campaigns_lettertally (campaign_id, day, status, letters)
    SELECT campaign_id, day, status, sum(letters) FROM (
        SELECT campaign_id, {day} AS day, status, 1 AS letters FROM new_rows
        UNION ALL
        SELECT campaign_id, {day}, status, -1 FROM old_rows
    ) AS changed
    GROUP BY 1, 2, 3 HAVING sum(letters) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (campaign_id, day, status)
    DO UPDATE SET letters = campaigns_lettertally.letters + excluded.letters;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER campaigns_letter_tally_insert AFTER INSERT ON campaigns_letter
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION campaigns_letter_tally();
CREATE OR REPLACE TRIGGER campaigns_letter_tally_update AFTER UPDATE ON campaigns_letter
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION campaigns_letter_tally();
CREATE OR REPLACE TRIGGER campaigns_letter_tally_delete AFTER DELETE ON campaigns_letter
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION campaigns_letter_tally();
"""

SQLITE_DAY = "django_datetime_cast_date({row}.created_at, '{zone}', 'UTC')"
SQLITE_ADD = """
    INSERT INTO campaigns_lettertally (campaign_id, day, status, letters)
    VALUES (NEW.campaign_id, {new_day}, NEW.status, 1)
    ON CONFLICT (campaign_id, day, status) DO UPDATE SET letters = letters + 1;"""
SQLITE_REMOVE = """
    UPDATE campaigns_lettertally SET letters = letters - 1
    WHERE campaign_id = OLD.campaign_id AND day = {old_day} AND status = OLD.status;"""
SQLITE = [
    "CREATE TRIGGER campaigns_letter_tally_insert AFTER INSERT ON campaigns_letter BEGIN {add} END",
    "CREATE TRIGGER campaigns_letter_tally_update "
    "AFTER UPDATE OF campaign_id, status, created_at ON campaigns_letter "
    "WHEN OLD.campaign_id IS NOT NEW.campaign_id OR OLD.status IS NOT NEW.status "
    "OR OLD.created_at IS NOT NEW.created_at "
    "BEGIN {remove} {add} END",
    "CREATE TRIGGER campaigns_letter_tally_delete AFTER DELETE ON campaigns_letter "
    "BEGIN {remove} END",
]


def install_triggers(using=connection):
    install_letter_triggers(using)
    install_submission_triggers(using)


def install_letter_triggers(using=connection):
    """(Re)create the triggers that keep LetterTally, for this TIME_ZONE."""
    zone = _zone()
    with using.cursor() as cursor:
        if using.vendor == "postgresql":
            cursor.execute(POSTGRESQL.format(day=POSTGRESQL_DAY.format(zone=zone)))
            return
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        parts = {
            "add": SQLITE_ADD.format(new_day=SQLITE_DAY.format(row="NEW", zone=zone)),
            "remove": SQLITE_REMOVE.format(old_day=SQLITE_DAY.format(row="OLD", zone=zone)),
        }
        for statement in SQLITE:
            cursor.execute(statement.format(**parts))


SUBMISSIONS_POSTGRESQL = """
CREATE OR REPLACE FUNCTION campaigns_submission_tally() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO campaigns_submissiontally (campaign_id, submissions)
        SELECT campaign_id, count(*) FROM new_rows GROUP BY 1 ORDER BY 1
        ON CONFLICT (campaign_id)
        DO UPDATE SET submissions = campaigns_submissiontally.submissions + excluded.submissions;
    ELSE
        UPDATE campaigns_submissiontally AS tally SET submissions = tally.submissions - gone.n
        FROM (SELECT campaign_id, count(*) AS n FROM old_rows GROUP BY 1) AS gone
        WHERE tally.campaign_id = gone.campaign_id;
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER campaigns_submission_tally_insert AFTER INSERT ON campaigns_submission
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION campaigns_submission_tally();
CREATE OR REPLACE TRIGGER campaigns_submission_tally_delete AFTER DELETE ON campaigns_submission
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION campaigns_submission_tally();
"""
SUBMISSIONS_SQLITE = [
    "CREATE TRIGGER campaigns_submission_tally_insert AFTER INSERT ON campaigns_submission "
    "BEGIN INSERT INTO campaigns_submissiontally (campaign_id, submissions) "
    "VALUES (NEW.campaign_id, 1) "
    "ON CONFLICT (campaign_id) DO UPDATE SET submissions = submissions + 1; END",
    "CREATE TRIGGER campaigns_submission_tally_delete AFTER DELETE ON campaigns_submission "
    "BEGIN UPDATE campaigns_submissiontally SET submissions = submissions - 1 "
    "WHERE campaign_id = OLD.campaign_id; END",
]


def install_submission_triggers(using=connection):
    """(Re)create the triggers that keep SubmissionTally."""
    with using.cursor() as cursor:
        if using.vendor == "postgresql":
            cursor.execute(SUBMISSIONS_POSTGRESQL)
            return
        for name in SUBMISSION_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        for statement in SUBMISSIONS_SQLITE:
            cursor.execute(statement)


def drop_submission_triggers(using=connection):
    with using.cursor() as cursor:
        for name in SUBMISSION_TRIGGERS:
            suffix = " ON campaigns_submission" if using.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}{suffix}")
        if using.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS campaigns_submission_tally()")


def drop_triggers(using=connection):
    with using.cursor() as cursor:
        for name in TRIGGERS:
            suffix = " ON campaigns_letter" if using.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}{suffix}")
        if using.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS campaigns_letter_tally()")


@transaction.atomic
def rebuild():
    """Install the triggers again and recount every campaign's letters.

    Writers wait meanwhile (PostgreSQL: the letters table is locked against
    changes; SQLite: the transaction holds the database), so no letter is
    counted twice or missed.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "LOCK TABLE campaigns_letter, campaigns_submission IN SHARE ROW EXCLUSIVE MODE"
            )
    install_triggers()
    SubmissionTally.objects.all().delete()
    SubmissionTally.objects.bulk_create(
        SubmissionTally(campaign_id=row["campaign"], submissions=row["submissions"])
        for row in Submission.objects.values("campaign").annotate(submissions=Count("*")).order_by()
    )
    LetterTally.objects.all().delete()
    groups = (
        Letter.objects.values("campaign", "status", day=TruncDate("created_at"))
        .annotate(letters=Count("*"))
        .order_by()
    )
    rows = [
        LetterTally(
            campaign_id=group["campaign"],
            day=group["day"],
            status=group["status"],
            letters=group["letters"],
        )
        for group in groups
    ]
    LetterTally.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def differences(since=None):
    """How many LetterTally and SubmissionTally rows differ from a count of
    the rows (rows counting nothing aside): zero when the triggers kept them.
    `since`, an aware datetime at the start of a local day, compares only
    the letters of the days from then (SubmissionTally has no days: all)."""
    letters = Letter.objects.all()
    kept = LetterTally.objects.exclude(letters=0)
    if since is not None:
        letters = letters.filter(created_at__gte=since)
        kept = kept.filter(day__gte=since.date())
    counted = set(
        letters.values("campaign", "status", day=TruncDate("created_at"))
        .annotate(letters=Count("*"))
        .order_by()
        .values_list("campaign", "day", "status", "letters")
    )
    submissions = set(
        Submission.objects.values("campaign")
        .annotate(submissions=Count("*"))
        .order_by()
        .values_list("campaign", "submissions")
    )
    kept_submissions = set(
        SubmissionTally.objects.exclude(submissions=0).values_list("campaign", "submissions")
    )
    return {
        "campaigns_lettertally": len(
            counted ^ set(kept.values_list("campaign", "day", "status", "letters"))
        ),
        "campaigns_submissiontally": len(submissions ^ kept_submissions),
    }


def letters_in(campaign, statuses=None, *, exclude=()):
    """How many of the campaign's letters are in these statuses (all when
    None), less those in `exclude`: a sum over a few rows per day."""
    rows = LetterTally.objects.filter(campaign=campaign)
    if statuses is not None:
        rows = rows.filter(status__in=statuses)
    if exclude:
        rows = rows.exclude(status__in=exclude)
    return rows.aggregate(total=Sum("letters"))["total"] or 0
