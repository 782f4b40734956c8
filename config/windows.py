"""Weekly maintenance windows, as a deployment writes them in the environment.

A window is "Sat 22:00-Sun 06:00 America/New_York": a day and time to a day
and time in one zone, every week; several are separated by ";", and "none"
means there is none. Times are the zone's wall clock, so a window keeps its
hours across daylight-saving changes. A value that cannot be read stops
start-up with the variable's name and what was expected, rather than sending
into a window nobody meant to leave open.
"""

import re
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ImproperlyConfigured

from config.env import env_str

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEK = 7 * 24 * 60  # minutes
PATTERN = re.compile(
    r"(?P<start_day>[a-z]{3})[a-z]*\s+(?P<start>\d{1,2}:\d{2})\s*-\s*"
    r"(?P<end_day>[a-z]{3})[a-z]*\s+(?P<end>\d{1,2}:\d{2})\s+(?P<zone>\S+)",
    re.IGNORECASE,
)
FORMAT = '"Sat 22:00-Sun 06:00 America/New_York" (several separated by ";", or "none")'


@dataclass(frozen=True)
class Window:
    start: int  # minutes into the week, Monday 00:00 being 0
    end: int
    zone: zoneinfo.ZoneInfo
    text: str

    def end_if_inside(self, now):
        """When this window ends, if `now` (an aware datetime) is inside it; else None."""
        local = now.astimezone(self.zone)
        minute = local.weekday() * 24 * 60 + local.hour * 60 + local.minute
        since_start = (minute - self.start) % WEEK
        length = (self.end - self.start) % WEEK
        if since_start >= length:
            return None
        # The end on the wall clock, then placed in the zone: a window that
        # ends at 06:00 ends at 06:00 whether or not the clocks moved since.
        wall = local.replace(tzinfo=None, second=0, microsecond=0)
        end = (wall + timedelta(minutes=length - since_start)).replace(tzinfo=self.zone)
        return end.astimezone(now.tzinfo)

    def __str__(self):
        return self.text


def parse(name, value):
    """The windows `value` names; ImproperlyConfigured naming `name` if it cannot be read."""
    if value.strip().lower() == "none":
        return []
    windows = []
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        found = PATTERN.fullmatch(part)
        if not found:
            raise ImproperlyConfigured(f"{name} must be like {FORMAT}, not {part!r}.")
        try:
            zone = zoneinfo.ZoneInfo(found["zone"])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ImproperlyConfigured(
                f"{name} names the time zone {found['zone']!r}, which does not exist."
            ) from None
        start = _minute_of_week(name, part, found["start_day"], found["start"])
        end = _minute_of_week(name, part, found["end_day"], found["end"])
        if start == end:
            raise ImproperlyConfigured(f"{name}: the window {part!r} starts when it ends.")
        windows.append(Window(start, end, zone, part))
    return windows


def env_windows(name, default):
    """The windows in environment variable `name`, or those of `default` when unset."""
    return parse(name, env_str(name, default))


def ends(windows, now):
    """When the window that `now` is inside ends (the latest, if several overlap); else None."""
    found = [end for window in windows if (end := window.end_if_inside(now)) is not None]
    return max(found, default=None)


def _minute_of_week(name, part, day, clock):
    try:
        weekday = DAYS.index(day.lower())
        moment = datetime.strptime(clock, "%H:%M")
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}: {day} {clock} in {part!r} is not a day (Mon-Sun) and time (HH:MM)."
        ) from None
    return weekday * 24 * 60 + moment.hour * 60 + moment.minute
