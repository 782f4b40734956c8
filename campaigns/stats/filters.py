"""Which rows a statistic counts: a range of local days, and optionally a state."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from campaigns import dates
from legislators.divisions import STATES

DEFAULT_DAYS = 30
# One bar a day: two years is already 731 bars; more would be a page no one
# can read and a query no one should wait for.
MAX_DAYS = 731


@dataclass(frozen=True)
class Filters:
    first_day: date
    last_day: date  # included
    state: str = ""

    @property
    def since(self):
        return _midnight(self.first_day)

    @property
    def until(self):
        return _midnight(self.last_day + timedelta(days=1))

    def days(self):
        length = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=n) for n in range(length)]

    def q(self, created, state=None):
        """The filters as a condition: `created` names the row's timestamp,
        `state` the field holding its state (None for rows that have none)."""
        condition = Q(**{f"{created}__gte": self.since, f"{created}__lt": self.until})
        if self.state and state:
            condition &= Q(**{state: self.state})
        return condition

    def as_params(self):
        params = {"from": self.first_day.isoformat(), "to": self.last_day.isoformat()}
        if self.state:
            params["state"] = self.state
        return params


def _midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def parse_filters(campaign, params, today=None):
    """Filters from a query string or the command line (`from`, `to`, `state`).

    Left out, the range is the campaign's last 30 days: up to today, or up to
    its end once it has closed, and never before it was created. Raises
    ValueError saying which value is wrong.
    """
    last_day = _day(params.get("to"), "to") or _last_day(campaign, today)
    first_day = _day(params.get("from"), "from") or _first_day(campaign, last_day)
    if first_day > last_day:
        raise ValueError("The start date is after the end date.")
    if (last_day - first_day).days + 1 > MAX_DAYS:
        raise ValueError(f"The statistics cover at most {MAX_DAYS} days at a time.")
    state = (params.get("state") or "").strip().upper()
    if state and state not in STATES:
        raise ValueError(f"{state!r} is not a state code.")
    return Filters(first_day, last_day, state)


def _day(value, name):
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a date like 2026-06-30.") from None
    if not dates.in_range(day):
        raise ValueError(
            f"{name}: {day.isoformat()} is not between {dates.FIRST_DAY} and {dates.LAST_DAY}."
        )
    return day


def _last_day(campaign, today):
    today = today or timezone.localdate()
    ended = campaign.closed_at or campaign.ends_at
    return min(today, timezone.localdate(ended)) if ended else today


def _first_day(campaign, last_day):
    window = last_day - timedelta(days=DEFAULT_DAYS - 1)
    return min(last_day, max(window, timezone.localdate(campaign.created_at)))
