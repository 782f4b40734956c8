"""Charts as server-rendered SVG: the geometry is worked out here, the markup
is in templates/campaigns/staff/charts.html. No script and no inline style,
so they work offline and under the strict CSP."""

from dataclasses import dataclass, replace
from datetime import date
from math import ceil

from django.utils.translation import gettext_lazy as _

from legislators.divisions import STATES

LEVELS = 5  # shades of the state map, besides the grey of no letters

# The state tile grid: (row, column) of each square, roughly where the state
# lies. Territories sit on an extra row, the Pacific ones left, the Caribbean right.
TILE_GRID = {
    "AK": (0, 0), "ME": (0, 11),
    "VT": (1, 10), "NH": (1, 11),
    "WA": (2, 1), "ID": (2, 2), "MT": (2, 3), "ND": (2, 4), "MN": (2, 5), "IL": (2, 6),
    "WI": (2, 7), "MI": (2, 8), "NY": (2, 9), "RI": (2, 10), "MA": (2, 11),
    "OR": (3, 1), "NV": (3, 2), "WY": (3, 3), "SD": (3, 4), "IA": (3, 5), "IN": (3, 6),
    "OH": (3, 7), "PA": (3, 8), "NJ": (3, 9), "CT": (3, 10),
    "CA": (4, 1), "UT": (4, 2), "CO": (4, 3), "NE": (4, 4), "MO": (4, 5), "KY": (4, 6),
    "WV": (4, 7), "VA": (4, 8), "MD": (4, 9), "DE": (4, 10),
    "AZ": (5, 2), "NM": (5, 3), "KS": (5, 4), "AR": (5, 5), "TN": (5, 6), "NC": (5, 7),
    "SC": (5, 8), "DC": (5, 9),
    "OK": (6, 4), "LA": (6, 5), "MS": (6, 6), "AL": (6, 7), "GA": (6, 8),
    "HI": (7, 0), "TX": (7, 4), "FL": (7, 9),
    "GU": (8, 0), "MP": (8, 1), "AS": (8, 2), "PR": (8, 10), "VI": (8, 11),
}  # fmt: skip
MAX_BAR_WIDTH = 48  # a range of a few days should not draw slabs
TILE = 40
TILE_GAP = 4


@dataclass(frozen=True)
class Bar:
    day: date
    total: int
    delivered: int
    x: float
    width: float
    y: float  # top of the whole bar
    height: float
    delivered_y: float  # its delivered part sits at the bottom
    delivered_height: float


@dataclass(frozen=True)
class BarChart:
    bars: list
    top: int  # the value at the highest gridline
    width: int = 640
    height: int = 200
    left: int = 40  # room for the axis labels
    baseline: int = 180  # the y of zero
    ceiling: int = 10  # the y of `top`

    @property
    def plot_height(self):
        return self.baseline - self.ceiling


def daily_bars(per_day):
    """Letters per day as bars, each with its delivered part drawn darker."""
    chart = BarChart(bars=[], top=nice_ceiling(max((row["total"] for row in per_day), default=0)))
    scale = chart.plot_height / chart.top
    step = (chart.width - chart.left) / max(len(per_day), 1)
    gap = step * 0.2 if step > 4 else 0  # thin bars touch rather than vanish
    width = min(step - gap, MAX_BAR_WIDTH)
    bars = [
        Bar(
            day=row["day"],
            total=row["total"],
            delivered=row["delivered"],
            x=round(chart.left + index * step + (step - width) / 2, 2),
            width=round(width, 2),
            y=round(chart.baseline - row["total"] * scale, 2),
            height=round(row["total"] * scale, 2),
            delivered_y=round(chart.baseline - row["delivered"] * scale, 2),
            delivered_height=round(row["delivered"] * scale, 2),
        )
        for index, row in enumerate(per_day)
    ]
    return replace(chart, bars=bars)


def nice_ceiling(value):
    """The smallest 1, 2 or 5 times a power of ten that is at least value (1 for 0)."""
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


@dataclass(frozen=True)
class Sparkline:
    points: str  # for <polyline points="…">
    width: int
    height: int


def sparkline(values, width=120, height=28):
    top = max(values, default=0) or 1
    step = width / max(len(values) - 1, 1)
    inner = height - 4  # two pixels clear of each edge for the stroke
    points = " ".join(
        f"{index * step:.1f},{2 + inner - value * inner / top:.1f}"
        for index, value in enumerate(values)
    )
    return Sparkline(points=points, width=width, height=height)


@dataclass(frozen=True)
class Tile:
    state: str
    name: str
    x: int
    y: int
    total: int
    delivered: int
    level: int  # 0 for no letters, then 1 to LEVELS by share of the busiest state

    @property
    def cx(self):
        return self.x + TILE / 2

    @property
    def cy(self):
        return self.y + TILE / 2


@dataclass(frozen=True)
class StateMap:
    tiles: list
    top: int  # letters to the busiest state
    size: int = TILE
    width: int = 12 * (TILE + TILE_GAP)
    height: int = 9 * (TILE + TILE_GAP)
    levels: range = range(LEVELS + 1)


def state_map(by_state):
    """A square per state, shaded by the letters its offices got."""
    found = {row["state"]: row for row in by_state}
    top = max((row["total"] for row in by_state), default=0)
    tiles = []
    for state, (row, column) in TILE_GRID.items():
        counts = found.get(state, {"total": 0, "delivered": 0})
        tiles.append(
            Tile(
                state=state,
                name=STATES[state][1],
                x=column * (TILE + TILE_GAP),
                y=row * (TILE + TILE_GAP),
                total=counts["total"],
                delivered=counts["delivered"],
                level=ceil(counts["total"] * LEVELS / top) if top else 0,
            )
        )
    return StateMap(tiles=tiles, top=top)


@dataclass(frozen=True)
class Segment:
    status: str
    label: str
    count: int
    x: float  # out of 100
    width: float


SEGMENTS = [
    ("delivered", _("Sent (accepted by the gateway)")),
    ("pending", _("Queued or sending")),
    ("retrying", _("Retrying")),
    ("rejected", _("Rejected by the gateway")),
    ("failed", _("Failed after retries, or could not be sent")),
    ("no_route", _("No route to the office")),
    ("cancelled", _("Cancelled")),
]


def status_bar(delivery):
    """One bar split by delivery status, in percent of all letters."""
    total = delivery["total"] or 1
    segments, x = [], 0.0
    for status, label in SEGMENTS:
        width = round(delivery[status] * 100 / total, 2)
        segments.append(Segment(status, label, delivery[status], x, width))
        x = round(x + width, 2)
    return segments


def duration_label(duration):
    """A timedelta as people say it: "40 s", "12 min", "3 h 5 min", "2 d 4 h"."""
    if duration is None:
        return "—"
    seconds = round(duration.total_seconds())
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if seconds < 60:
        return f"{seconds} s"
    if minutes < 60:
        return f"{minutes} min"
    if hours < 24:
        return f"{hours} h {minutes % 60} min"
    return f"{days} d {hours % 24} h"
