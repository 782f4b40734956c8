"""CSV exports, streamed: rows go from a database cursor to the client a
chunk at a time, so a million letters never sit in memory."""

import csv
from itertools import chain

from django.http import StreamingHttpResponse

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
    "created_at": "created_at",
    "delivered_at": "delivered_at",
    "failure_reason": "failure_reason",
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
    return _stream(
        f"{campaign.slug}-letters.csv", LETTER_COLUMNS, letters.order_by("created_at", "pk")
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


def _stream(filename, columns, queryset):
    rows = queryset.values_list(*columns.values()).iterator(chunk_size=CHUNK_SIZE)
    writer = csv.writer(_Echo())
    lines = (
        writer.writerow([safe_cell(value) for value in row]) for row in chain([list(columns)], rows)
    )
    return StreamingHttpResponse(
        lines,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
