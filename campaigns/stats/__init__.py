"""Participation statistics, every number an aggregate query in the database.

`campaign_stats` feeds the staff dashboard, `manage.py campaign_stats` and
the tests alike; `overview` the table across campaigns.
"""

from campaigns.stats.campaign import COUNTS, CampaignStats, campaign_stats
from campaigns.stats.filters import Filters, parse_filters
from campaigns.stats.overview import SPARKLINE_DAYS, overview
from campaigns.stats.serialize import as_json

__all__ = [
    "COUNTS",
    "SPARKLINE_DAYS",
    "CampaignStats",
    "Filters",
    "as_json",
    "campaign_stats",
    "overview",
    "parse_filters",
]
