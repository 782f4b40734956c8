"""The send-rate limit: a slot, or when the next one is; never a sleep."""

import json
import subprocess
import sys

import pytest
from django.conf import settings

from campaigns.delivery import ratelimit


def test_the_sixth_send_in_a_second_learns_when_its_turn_comes():
    turns = [ratelimit.take_turn("http://house", 5, now=1000.25) for _ in range(6)]
    assert turns[:5] == [None] * 5
    assert turns[5] == 0.75  # the next second


def test_callers_past_the_limit_are_spread_over_the_seconds_that_follow():
    turns = [ratelimit.take_turn("http://senate", 2, now=4000.5) for _ in range(8)]
    assert turns == [None, None, 0.5, 0.5, 1.5, 1.5, 2.5, 2.5]


def test_endpoints_have_their_own_budget():
    turns = [ratelimit.take_turn(url, 5, now=2000.5) for url in ["http://a", "http://b"] * 5]
    assert turns == [None] * 10


def test_zero_means_no_limit():
    assert {ratelimit.take_turn("http://house", 0, now=3000.0) for _ in range(100)} == {None}


TAKE_TURNS = """
import django, json, sys
django.setup()
from campaigns.delivery import ratelimit
print(json.dumps([ratelimit.take_turn("http://shared", 5, now=float(sys.argv[1]))
                  for _ in range(6)]))
"""


@pytest.mark.skipif(
    not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"),
    reason="only a shared cache (CACHE_URL=redis://...) is shared by processes",
)
def test_two_processes_share_one_budget_and_neither_sleeps(tmp_path):
    """Two workers' worth of calls in the same second: 5 slots between them,
    the other 7 told when to come back, at once."""
    now = str(10_000_000 + hash(tmp_path) % 1_000_000 + 0.5)  # a second no other run used
    runs = [
        subprocess.Popen([sys.executable, "-c", TAKE_TURNS, now], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    turns = [turn for run in runs for turn in json.loads(run.communicate(timeout=60)[0])]
    assert turns.count(None) == 5
    assert sorted(turn for turn in turns if turn is not None) == [0.5] * 5 + [1.5] * 2
