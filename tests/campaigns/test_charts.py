from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string

from campaigns.stats import charts
from legislators.divisions import STATES


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20), (120, 200), (500, 500)]
)
def test_nice_ceiling(value, ceiling):
    assert charts.nice_ceiling(value) == ceiling


def test_daily_bars_scale_to_a_round_top():
    days = [date(2026, 6, day) for day in (1, 2, 3, 4)]
    per_day = [
        {"day": day, "total": total, "delivered": delivered}
        for day, total, delivered in zip(days, [0, 4, 8, 3], [0, 4, 2, 0], strict=True)
    ]
    chart = charts.daily_bars(per_day)
    assert chart.top == 10
    # 170 pixels of plot for 10 letters: 17 a letter, bars standing on y=180.
    assert [(bar.height, bar.delivered_height) for bar in chart.bars] == [
        (0, 0),
        (68, 68),
        (136, 34),
        (51, 0),
    ]
    assert all(bar.y + bar.height == chart.baseline for bar in chart.bars)
    assert chart.bars[0].x > chart.left and chart.bars[-1].x + chart.bars[-1].width < chart.width


def test_sparkline_runs_from_the_bottom_up_to_the_busiest_day():
    line = charts.sparkline([0, 2, 4], width=120, height=28)
    assert line.points == "0.0,26.0 60.0,14.0 120.0,2.0"


def test_an_empty_sparkline_is_flat():
    assert charts.sparkline([0, 0]).points == "0.0,26.0 120.0,26.0"


def test_every_state_and_territory_has_its_own_tile():
    assert set(charts.TILE_GRID) == set(STATES)
    assert len(set(charts.TILE_GRID.values())) == len(STATES)


def test_state_tiles_are_shaded_by_share_of_the_busiest_state():
    rows = [
        {"state": "TX", "total": 10, "delivered": 9},
        {"state": "CA", "total": 6, "delivered": 6},
        {"state": "NY", "total": 1, "delivered": 0},
    ]
    tiles = {tile.state: tile for tile in charts.state_map(rows).tiles}
    assert {state: tiles[state].level for state in ("TX", "CA", "NY", "WY")} == {
        "TX": 5,
        "CA": 3,
        "NY": 1,
        "WY": 0,
    }
    assert (tiles["TX"].name, tiles["TX"].total, tiles["TX"].delivered) == ("Texas", 10, 9)


def test_the_state_map_has_a_title_and_a_label_per_state():
    rows = [{"state": "TX", "total": 3, "delivered": 1}]
    svg = render_to_string("campaigns/staff/charts.html#state_map", {"map": charts.state_map(rows)})
    assert "<title>Texas: 3 letters, 1 delivered</title>" in svg
    assert "<title>Wyoming: 0 letters, 0 delivered</title>" in svg
    assert svg.count("<text") == len(STATES)
    assert 'class="tile level-5"' in svg


def test_status_bar_splits_one_hundred():
    delivery = {
        "total": 8,
        "delivered": 4,
        "pending": 2,
        "retrying": 0,
        "rejected": 1,
        "failed": 1,
        "no_route": 0,
        "cancelled": 0,
    }
    segments = charts.status_bar(delivery)
    assert [(s.status, s.x, s.width) for s in segments] == [
        ("delivered", 0, 50),
        ("pending", 50, 25),
        ("retrying", 75, 0),
        ("rejected", 75, 12.5),
        ("failed", 87.5, 12.5),
        ("no_route", 100, 0),
        ("cancelled", 100, 0),
    ]


@pytest.mark.parametrize(
    ("duration", "label"),
    [
        (None, "—"),
        (timedelta(seconds=40.4), "40 s"),
        (timedelta(minutes=12, seconds=5), "12 min"),
        (timedelta(hours=3, minutes=5), "3 h 5 min"),
        (timedelta(days=2, hours=4, minutes=59), "2 d 4 h"),
    ],
)
def test_duration_label(duration, label):
    assert charts.duration_label(duration) == label
