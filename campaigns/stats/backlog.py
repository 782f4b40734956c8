"""The delivery backlog across campaigns, for staff: per chamber (and custom
targets), the letters waiting, the oldest of them, the rate letters are
being delivered at per channel, and how long the wait would take to drain at
that rate.

Two grouped queries, each read from a partial index (letters_waiting_by_office,
letters_delivered_at): a few rows per office, however many letters wait.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.delivery.registry import HAND
from campaigns.models import Letter
from legislators.models import Chamber, Legislator

Status = Letter.Status
WAITING = (Status.QUEUED, Status.RETRYING, Status.SENDING)
# Long enough to smooth a burst, short enough to show a channel slowing down.
RATE_WINDOW = timedelta(minutes=5)
CUSTOM = "custom"
LANES = {
    Chamber.HOUSE: _("House"),
    Chamber.SENATE: _("Senate"),
    CUSTOM: _("Custom targets"),
}


@dataclass
class Lane:
    chamber: str
    label: str
    waiting: dict = field(default_factory=lambda: dict.fromkeys(WAITING, 0))
    oldest: datetime | None = None
    delivered: dict = field(default_factory=lambda: defaultdict(int))  # per channel

    @property
    def total_waiting(self):
        return sum(self.waiting.values())

    @property
    def per_minute(self):
        """Letters delivered a minute over the window, per channel."""
        minutes = RATE_WINDOW.total_seconds() / 60
        return {channel: count / minutes for channel, count in sorted(self.delivered.items())}

    @property
    def rate(self):
        return sum(self.per_minute.values(), 0.0)

    @property
    def drain(self):
        """How long the letters waiting take at the current rate; None when
        nothing was delivered lately (no rate to go by), zero with none waiting."""
        if not self.total_waiting:
            return timedelta(0)
        if not self.rate:
            return None
        return timedelta(minutes=self.total_waiting / self.rate)


def delivery_backlog(now=None):
    """One Lane per chamber and one for custom targets, in that order."""
    now = now or timezone.now()
    lanes = {chamber: Lane(chamber, str(label)) for chamber, label in LANES.items()}
    waiting = (
        Letter.objects.filter(status__in=WAITING)
        .values("status", "legislator", to_target=Q(custom_target__isnull=False))
        .annotate(letters=Count("*"), oldest=Min("created_at"))
        .order_by()
    )
    waiting = list(waiting)
    recent = (
        Letter.objects.filter(status=Status.DELIVERED, delivered_at__gte=now - RATE_WINDOW)
        .exclude(channel=HAND)
        .values("channel", "legislator", to_target=Q(custom_target__isnull=False))
        .annotate(letters=Count("*"))
        .order_by()
    )
    recent = list(recent)
    offices = {row["legislator"] for row in waiting + recent} - {None}
    chambers = dict(Legislator.objects.filter(pk__in=offices).values_list("pk", "chamber"))
    for row in waiting:
        lane = lanes[CUSTOM if row["to_target"] else chambers[row["legislator"]]]
        lane.waiting[row["status"]] += row["letters"]
        lane.oldest = min(filter(None, (lane.oldest, row["oldest"])))
    for row in recent:
        lane = lanes[CUSTOM if row["to_target"] else chambers[row["legislator"]]]
        lane.delivered[row["channel"]] += row["letters"]
    return list(lanes.values())


def as_json(lanes):
    return {
        "rate_window_seconds": int(RATE_WINDOW.total_seconds()),
        "lanes": [_lane_json(lane) for lane in lanes],
    }


def _lane_json(lane):
    return {
        "chamber": lane.chamber,
        "waiting": lane.total_waiting,
        **{str(status): count for status, count in lane.waiting.items()},
        "oldest_waiting_at": lane.oldest.isoformat() if lane.oldest else None,
        "delivered_per_minute": round(lane.rate, 2),
        "per_channel_per_minute": {
            channel: round(rate, 2) for channel, rate in lane.per_minute.items()
        },
        "drain_seconds": None if lane.drain is None else round(lane.drain.total_seconds()),
    }
