"""Confidence intervals against published values: Newcombe, "Two-sided
confidence intervals for the single proportion" and "Interval estimation for
the difference between independent proportions" (Statistics in Medicine,
1998), the score method and method 10."""

import pytest

from campaigns.stats.intervals import difference, wilson


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        (29, 29, 0.8830, 1.0),
    ],
)
def test_wilson_score_interval(successes, trials, low, high):
    interval = wilson(successes, trials)
    assert interval.estimate == pytest.approx(successes / trials)
    assert (round(interval.low, 4), round(interval.high, 4)) == (low, high)


@pytest.mark.parametrize(
    ("counts", "estimate", "low", "high"),
    [
        ((56, 70, 48, 80), 0.2, 0.0524, 0.3339),
        ((9, 10, 3, 10), 0.6, 0.1705, 0.8090),
    ],
)
def test_newcombe_difference_interval(counts, estimate, low, high):
    interval = difference(*counts)
    assert interval.estimate == pytest.approx(estimate)
    assert (round(interval.low, 4), round(interval.high, 4)) == (low, high)


def test_shown_as_percentages():
    interval = wilson(81, 263)
    assert round(interval.percent, 1) == 30.8
    assert (round(interval.percent_low, 1), round(interval.percent_high, 1)) == (25.5, 36.6)


@pytest.mark.parametrize(("successes", "trials"), [(1, 0), (5, 4), (-1, 10)])
def test_counts_that_are_no_share_are_refused(successes, trials):
    with pytest.raises(ValueError, match="is no share"):
        wilson(successes, trials)
