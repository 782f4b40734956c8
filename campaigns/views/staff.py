"""The staff's participation statistics: dashboards and CSV exports.

Staff see every campaign, organizers their own (a 404 for anyone else's);
the supporters' personal data needs campaigns.view_supporter besides.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponseBadRequest
from django.shortcuts import render

from campaigns import stats
from campaigns.permissions import get_managed_campaign, managed_campaigns, organizer_required
from campaigns.stats import charts, exports
from campaigns.stats.backlog import RATE_WINDOW
from campaigns.stats.fragments import FRAGMENT_SECONDS, tables_version
from campaigns.stats.variants import MIN_VISITORS
from legislators.divisions import STATES


@organizer_required
def overview(request):
    rows = [
        (campaign, counts, charts.sparkline(series))
        for campaign, counts, series in stats.overview(managed_campaigns(request.user))
    ]
    # The queues are every campaign's: only staff see them.
    backlog = None
    if request.user.is_staff:
        backlog = [
            (
                lane,
                charts.duration_label(lane.drain),
                [
                    (channel, lane.waiting_per_channel[channel], charts.duration_label(drain))
                    for channel, drain in lane.drain_per_channel.items()
                ],
            )
            for lane in stats.recent_backlog()
        ]
    return render(
        request,
        "campaigns/staff/overview.html",
        {
            "rows": rows,
            "days": stats.SPARKLINE_DAYS,
            "backlog": backlog,
            "rate_minutes": int(RATE_WINDOW.total_seconds() // 60),
        },
    )


@organizer_required
def dashboard(request, slug):
    campaign = get_managed_campaign(request.user, slug)
    # A bad filter is explained above the default range's numbers, as a 400.
    try:
        filters, error = stats.parse_filters(campaign, request.GET), None
    except ValueError as invalid:
        filters, error = stats.parse_filters(campaign, {}), str(invalid)
    numbers = stats.recent_campaign_stats(campaign, filters)
    context = {
        "campaign": campaign,
        "stats": numbers,
        "filters": filters,
        "filter_error": error,
        "states": STATES,
        "daily": charts.daily_bars(numbers.per_day),
        "map": charts.state_map(numbers.by_state),
        "status_segments": charts.status_bar(numbers.delivery),
        "median_delivery": charts.duration_label(numbers.median_delivery),
        "export_query": urlencode(filters.as_params()),
        "can_export_supporters": request.user.has_perm("campaigns.view_supporter"),
        "wordings": stats.recent_variant_figures(campaign, filters),
        "variant_minimum_visitors": MIN_VISITORS,
        "tables_version": tables_version(numbers),
        "fragment_seconds": FRAGMENT_SECONDS,
    }
    return render(request, "campaigns/staff/dashboard.html", context, status=400 if error else 200)


@organizer_required
def letters_csv(request, slug):
    campaign = get_managed_campaign(request.user, slug)
    try:
        filters = stats.parse_filters(campaign, request.GET)
    except ValueError as invalid:
        return HttpResponseBadRequest(str(invalid))
    return exports.letters_csv(campaign, filters)


@organizer_required
def attempts_csv(request, slug):
    campaign = get_managed_campaign(request.user, slug)
    try:
        filters = stats.parse_filters(campaign, request.GET)
    except ValueError as invalid:
        return HttpResponseBadRequest(str(invalid))
    return exports.attempts_csv(campaign, filters)


@organizer_required
@permission_required("campaigns.view_supporter", raise_exception=True)
def supporters_csv(request, slug):
    campaign = get_managed_campaign(request.user, slug)
    try:
        filters = stats.parse_filters(campaign, request.GET)
    except ValueError as invalid:
        return HttpResponseBadRequest(str(invalid))
    return exports.supporters_csv(campaign, filters)
