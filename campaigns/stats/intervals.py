"""Confidence intervals for a share (a conversion rate) and for the
difference of two, as plain functions of counts.

Wilson's score interval rather than the textbook p ± z·√(p(1-p)/n): it stays
inside [0, 1] and keeps close to its stated coverage when the share is small
or the count modest, as a campaign's conversion is. The difference uses
Newcombe's hybrid score interval (Statistics in Medicine, 1998, method 10),
built from the two Wilson intervals.
"""

from dataclasses import dataclass
from math import sqrt

# The normal quantile for a two-sided 95 % interval.
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float

    # As percentages (for a difference, percentage points), for display.
    @property
    def percent(self):
        return 100 * self.estimate

    @property
    def percent_low(self):
        return 100 * self.low

    @property
    def percent_high(self):
        return 100 * self.high


def wilson(successes, trials, z=Z95):
    """The Wilson score interval for successes out of trials (trials > 0)."""
    if trials <= 0 or not 0 <= successes <= trials:
        raise ValueError(f"{successes} successes out of {trials} trials is no share.")
    share = successes / trials
    z2 = z * z
    centre = (share + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z / (1 + z2 / trials) * sqrt(share * (1 - share) / trials + z2 / (4 * trials * trials))
    return Interval(share, max(0.0, centre - half), min(1.0, centre + half))


def difference(successes, trials, base_successes, base_trials, z=Z95):
    """Newcombe's interval for share - base share."""
    one, base = wilson(successes, trials, z), wilson(base_successes, base_trials, z)
    estimate = one.estimate - base.estimate
    return Interval(
        estimate,
        estimate - sqrt((one.estimate - one.low) ** 2 + (base.high - base.estimate) ** 2),
        estimate + sqrt((one.high - one.estimate) ** 2 + (base.estimate - base.low) ** 2),
    )
