"""Participation statistics, every number counted in the database.

`campaign_stats` feeds `manage.py campaign_stats` and the tests, and the
staff dashboard through `recent_campaign_stats`, which keeps it a minute;
`overview` the table across campaigns; `delivery_backlog` the letters waiting per
chamber, for staff (`recent_backlog` keeps it a minute); `recent_variant_figures`
each wording's figures (variants.py).
"""

from campaigns.stats.backlog import delivery_backlog
from campaigns.stats.cache import recent_backlog, recent_campaign_stats, recent_variant_figures
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
    "delivery_backlog",
    "overview",
    "parse_filters",
    "recent_backlog",
    "recent_campaign_stats",
    "recent_variant_figures",
]
