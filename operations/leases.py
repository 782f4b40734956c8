"""Leases in the database: one holder at a time, taken over when it lapses.

A holder renews its lease well before it expires; a holder that dies (or
loses the database) stops renewing, and after `seconds` another may take it.
Every change is one conditional UPDATE, so two processes racing for a lease
cannot both win, on PostgreSQL or SQLite.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Now

from operations.models import Lease


@dataclass(frozen=True)
class Held:
    """A lease just taken or renewed. `taken_from` is the previous holder's
    last renewal when it changed hands (None when renewed, or new)."""

    taken_from: datetime | None


def _in(seconds):
    return ExpressionWrapper(
        Now() + Value(timedelta(seconds=seconds)), output_field=DateTimeField()
    )


def hold(name, holder, seconds):
    """Take or renew the lease `name` for `seconds`. A Held, or None when another has it."""
    current = Lease.objects.filter(name=name).values("holder", "renewed_at", "generation").first()
    if current is None:
        try:
            with transaction.atomic():
                Lease.objects.create(
                    name=name, holder=holder, renewed_at=Now(), expires_at=_in(seconds)
                )
        except IntegrityError:
            return None  # another process created it first
        return Held(taken_from=None)
    # Compare and set: only if nobody renewed or took it since we looked.
    taken = (
        Lease.objects.filter(name=name, generation=current["generation"])
        .filter(Q(holder=holder) | Q(expires_at__lt=Now()))
        .update(
            holder=holder,
            renewed_at=Now(),
            expires_at=_in(seconds),
            generation=F("generation") + 1,
        )
    )
    if not taken:
        return None
    return Held(taken_from=None if current["holder"] == holder else current["renewed_at"])


def release(name, holder):
    """Let the lease go at once (a clean shutdown), keeping when it was last renewed."""
    Lease.objects.filter(name=name, holder=holder).update(
        expires_at=Now(), generation=F("generation") + 1
    )
