"""The dashboard's numbers, kept for a minute: computing them reads every
letter of the campaign, too slow to repeat on each page view of a large one."""

from django.conf import settings
from django.core.cache import cache

from campaigns.stats.backlog import delivery_backlog
from campaigns.stats.campaign import campaign_stats
from campaigns.stats.variants import variant_figures


def recent_campaign_stats(campaign, filters):
    """campaign_stats as computed at most STATS_CACHE_SECONDS ago (60 by
    default, 0 for always fresh); its computed_at says when."""
    return _recent("campaign-stats", campaign_stats, campaign, filters)


def recent_variant_figures(campaign, filters):
    """variant_figures, kept as long as campaign_stats, but computed afresh
    once a variant changes (which saves the campaign): a retired one shows so."""
    name = f"variant-figures:{campaign.updated_at.timestamp()}"
    return _recent(name, variant_figures, campaign, filters)


def _recent(name, compute, campaign, filters):
    seconds = settings.STATS_CACHE_SECONDS
    key = f"{name}:{campaign.pk}:{filters.first_day}:{filters.last_day}:{filters.state}"
    numbers = cache.get(key) if seconds else None
    if numbers is None:
        numbers = compute(campaign, filters)
        cache.set(key, numbers, seconds)
    return numbers


def recent_backlog():
    """delivery_backlog() as computed at most STATS_CACHE_SECONDS ago."""
    seconds = settings.STATS_CACHE_SECONDS
    lanes = cache.get("delivery-backlog") if seconds else None
    if lanes is None:
        lanes = delivery_backlog()
        cache.set("delivery-backlog", lanes, seconds)
    return lanes
