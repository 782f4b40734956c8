"""Cursor pagination over (created_at, id): stable while rows are added,
unlike page numbers. The cursor is signed, so a client cannot forge one
into another query; it says only where the last page ended."""

from datetime import datetime

from django.core import signing
from django.db.models import Q

from api.errors import ApiError

SALT = "api.cursor"
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def page(queryset, cursor=None, limit=DEFAULT_LIMIT, newest_first=False):
    """(rows, next cursor or None) of `queryset` ordered by (created_at, id)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, f"limit must be between 1 and {MAX_LIMIT}, not {limit}.")
    order = ("-created_at", "-id") if newest_first else ("created_at", "id")
    queryset = queryset.order_by(*order)
    if cursor:
        created_at, row_id = _decode(cursor)
        if newest_first:
            after = Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=row_id)
        else:
            after = Q(created_at__gt=created_at) | Q(created_at=created_at, id__gt=row_id)
        queryset = queryset.filter(after)
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = _encode(rows[-1]) if more else None
    return rows, next_cursor


def _encode(row):
    return signing.dumps([row.created_at.isoformat(), row.id], salt=SALT, compress=True)


def _decode(cursor):
    try:
        created_at, row_id = signing.loads(cursor, salt=SALT)
        return datetime.fromisoformat(created_at), int(row_id)
    except (signing.BadSignature, ValueError, TypeError):
        raise ApiError(
            400, "cursor is not one this API gave: use the next_cursor of a page."
        ) from None
