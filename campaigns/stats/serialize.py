"""CampaignStats as plain JSON values, for `manage.py campaign_stats --json`."""

from campaigns.stats.campaign import COUNTS


def as_json(stats):
    filters = stats.filters
    return {
        "campaign": stats.campaign.slug,
        "from": filters.first_day.isoformat(),
        "to": filters.last_day.isoformat(),
        "state": filters.state or None,
        **stats.funnel,
        "submissions": stats.submissions["total"],
        "edited": stats.submissions["edited"],
        "letters": stats.delivery["total"],
        **{key: stats.delivery[key] for key in COUNTS if key != "total"},
        "median_delivery_seconds": (
            None if stats.median_delivery is None else stats.median_delivery.total_seconds()
        ),
        "failure_reasons": stats.failure_reasons,
        "office_health": stats.office_health,
        "per_day": [{**row, "day": row["day"].isoformat()} for row in stats.per_day],
        "by_state": stats.by_state,
        "by_district": stats.by_district,
        "by_legislator": [
            {
                "bioguide_id": office.bioguide_id,
                "name": office.display_name,
                "seat": office.seat_label,
                **_counts(office),
            }
            for office in stats.by_legislator
        ],
        "by_custom_target": [
            {"name": office.name, **_counts(office)} for office in stats.by_custom_target
        ],
        "by_source": stats.by_source,
        "by_utm": stats.by_utm,
        "replies": stats.replies,
    }


def _counts(office):
    return {key: getattr(office, key) for key in COUNTS}
