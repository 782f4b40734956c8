"""CSV exports, streamed: rows go from a database cursor to the client a
chunk at a time, so a million letters never sit in memory."""

import csv
from itertools import chain

from django.db.models import OuterRef, Subquery
from django.http import StreamingHttpResponse

from campaigns.models import DeliveryAttempt

CHUNK_SIZE = 2000
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Column header: field. No personal data: the office, never the supporter.
LETTER_COLUMNS = {
    "campaign": "campaign__slug",
    "letter": "uuid",
    "office": "salutation",
    "bioguide_id": "legislator__bioguide_id",
    "state": "legislator__state",
    "district": "legislator__district",
    "status": "status",
    "attempts": "attempts",
    "channel": "channel",
    "created_at": "created_at",
    "delivered_at": "delivered_at",
    "failure_reason": "failure_reason",
    "gateway_answer": "gateway_answer",
    # From the letter's latest DeliveryAttempt (annotated in letters_csv):
    # what a staffer asks first about a stuck or failed letter.
    "last_attempt_at": "last_attempt_at",
    "last_attempt_outcome": "last_attempt_outcome",
    "last_attempt_answer": "last_attempt_answer",
}
# The attempts themselves: one row each, for a letter's whole history.
ATTEMPT_COLUMNS = {
    "letter": "letter__uuid",
    "office": "letter__salutation",
    "attempt": "number",
    "started_at": "started_at",
    "duration_seconds": "duration",
    "channel": "channel",
    "outcome": "outcome",
    "answer": "answer",
}
SUPPORTER_COLUMNS = {
    "supporter": "uuid",
    "email": "email",
    "prefix": "prefix",
    "first_name": "first_name",
    "last_name": "last_name",
    "street": "street",
    "city": "city",
    "state": "state",
    "zip_code": "zip_code",
    "phone": "phone",
    "opted_in_at": "opted_in_at",
    "opt_in_text": "opt_in_text",
    "created_at": "created_at",
}


def letters_csv(campaign, filters):
    letters = campaign.letters.filter(filters.q("created_at", "office_state"))
    latest = DeliveryAttempt.objects.filter(letter=OuterRef("pk")).order_by(
        "-number", "-started_at"
    )
    letters = letters.annotate(
        last_attempt_at=Subquery(latest.values("started_at")[:1]),
        last_attempt_outcome=Subquery(latest.values("outcome")[:1]),
        last_attempt_answer=Subquery(latest.values("answer")[:1]),
    )
    return _stream(
        f"{campaign.slug}-letters.csv", LETTER_COLUMNS, letters.order_by("created_at", "pk")
    )


def attempts_csv(campaign, filters):
    """Every delivery attempt of the letters letters_csv would list."""
    attempts = DeliveryAttempt.objects.filter(
        filters.q("letter__created_at", "letter__legislator__state"), letter__campaign=campaign
    )
    return _stream(
        f"{campaign.slug}-attempts.csv",
        ATTEMPT_COLUMNS,
        attempts.order_by("letter__created_at", "letter", "number", "started_at"),
        convert={"duration": lambda value: None if value is None else value.total_seconds()},
    )


def supporters_csv(campaign, filters):
    """Personal data: the view lets only holders of campaigns.view_supporter here."""
    supporters = campaign.supporters.filter(filters.q("created_at", "state"))
    return _stream(
        f"{campaign.slug}-supporters.csv",
        SUPPORTER_COLUMNS,
        supporters.order_by("created_at", "pk"),
    )


def safe_cell(value):
    """The value, with an apostrophe before text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file whose write() returns the line, so csv.writer makes strings to stream."""

    def write(self, line):
        return line


def _stream(filename, columns, queryset, convert=None):
    """convert: field -> function applied to its values (durations as seconds)."""
    fields = list(columns.values())
    rows = queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE)
    if convert:
        changes = [convert.get(field) for field in fields]
        rows = (
            [change(value) if change else value for change, value in zip(changes, row, strict=True)]
            for row in rows
        )
    writer = csv.writer(_Echo())
    lines = (
        writer.writerow([safe_cell(value) for value in row]) for row in chain([list(columns)], rows)
    )
    return StreamingHttpResponse(
        lines,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
