"""The delivery backlog across campaigns, for staff: per chamber (and custom
targets), the letters waiting, the oldest of them, the rate letters are
being delivered at per channel, and how long the wait would take to drain at
that rate, in all and per channel. A waiting letter's channel is the one its
office's route puts first (offices.routes), as the worker will try it.

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
from campaigns.models import CustomTarget, Letter
from legislators.models import Chamber, Legislator
from offices import routes

Status = Letter.Status
WAITING = (Status.QUEUED, Status.RETRYING, Status.SENDING)
# Long enough to smooth a burst, short enough to show a channel slowing down.
RATE_WINDOW = timedelta(minutes=5)
CUSTOM = "custom"
# The channel of waiting letters no channel reaches any more.
NO_ROUTE = "no route"
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
    routed: dict = field(default_factory=lambda: defaultdict(int))  # waiting, per channel

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
    def waiting_per_channel(self):
        return dict(sorted(self.routed.items()))

    @property
    def drain_per_channel(self):
        """Per channel letters wait for, how long they take at its own rate
        (None: it delivered nothing lately)."""
        return {
            channel: _drain(waiting, self.per_minute.get(channel, 0.0))
            for channel, waiting in self.waiting_per_channel.items()
        }

    @property
    def drain(self):
        """How long the letters waiting take at the current rate; None when
        nothing was delivered lately (no rate to go by), zero with none waiting."""
        return _drain(self.total_waiting, self.rate)


def _drain(waiting, per_minute):
    if not waiting:
        return timedelta(0)
    if not per_minute:
        return None
    return timedelta(minutes=waiting / per_minute)


def delivery_backlog(now=None):
    """One Lane per chamber and one for custom targets, in that order."""
    now = now or timezone.now()
    lanes = {chamber: Lane(chamber, str(label)) for chamber, label in LANES.items()}
    waiting = (
        Letter.objects.filter(status__in=WAITING)
        .values("status", "legislator", "custom_target")
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
    members = Legislator.objects.select_related("office").in_bulk(
        {row["legislator"] for row in waiting + recent} - {None}
    )
    targets = CustomTarget.objects.in_bulk({row["custom_target"] for row in waiting} - {None})
    for row in waiting:
        lane = lanes[CUSTOM if row["custom_target"] else members[row["legislator"]].chamber]
        lane.waiting[row["status"]] += row["letters"]
        lane.oldest = min(filter(None, (lane.oldest, row["oldest"])))
        office = {"custom_target": targets[row["custom_target"]]} if row["custom_target"] else {}
        letter = Letter(legislator=members.get(row["legislator"]), **office)
        lane.routed[next(iter(routes.route(letter).channels), NO_ROUTE)] += row["letters"]
    for row in recent:
        lane = lanes[CUSTOM if row["to_target"] else members[row["legislator"]].chamber]
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
        "drain_seconds": _seconds(lane.drain),
        "waiting_per_channel": lane.waiting_per_channel,
        "drain_seconds_per_channel": {
            channel: _seconds(drain) for channel, drain in lane.drain_per_channel.items()
        },
    }


def _seconds(duration):
    return None if duration is None else round(duration.total_seconds())
