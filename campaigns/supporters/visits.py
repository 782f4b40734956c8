"""Visitors to a campaign's page, counted without a database write per view.

A visitor is a browser on its first view of the page: the page leaves a
cookie scoped to the campaign's path, so a reload or the redirect after a
lookup is not another visit. Each is counted for the wording it was shown
(campaigns/supporters/variants.py; 0 for the campaign's own). With Redis
as the cache a visit is one HINCRBY on a hash of pending counts, which beat
adds to VisitTally every minute (`flush`). With the embedded per-process
cache, which a worker cannot read, or while Redis is unreachable, the visit
is added to its VisitTally row at once.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign

VISITED_COOKIE = "visited"
# A browser that comes back after this long counts as a visitor again.
VISITED_SECONDS = 30 * 24 * 3600
PENDING = "campaigns:visits:pending"
FLUSHING = "campaigns:visits:flushing"
UPSERT = (
    "INSERT INTO campaigns_visittally (campaign_id, day, source, variant, visits) "
    "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (campaign_id, day, source, variant) "
    "DO UPDATE SET visits = campaigns_visittally.visits + excluded.visits"
)


def is_new_visitor(request):
    return VISITED_COOKIE not in request.COOKIES


def remember_visitor(response, slug):
    response.set_cookie(
        VISITED_COOKIE,
        "1",
        max_age=VISITED_SECONDS,
        path=reverse("campaign", args=[slug]),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def counter(campaign_id, source, variant=0):
    """The (hash, field) that counts today's visitors to a campaign from
    `source` shown `variant` (a Variant id, 0 for the campaign's own)."""
    return PENDING, f"{campaign_id}:{variant}:{timezone.localdate().isoformat()}:{source}"


def count(campaign, source, variant=0):
    """One more visitor today from `source` (the ?source= value, or "") shown `variant`."""
    if (
        not hasattr(cache, "add_to_hash")
        or cache.add_to_hash(*counter(campaign.pk, source, variant)) is None
    ):
        day = timezone.localdate().isoformat()
        with connection.cursor() as cursor:
            cursor.execute(UPSERT, [campaign.pk, day, source, variant, 1])


def flush():
    """Add the visits counted in Redis to VisitTally; return how many."""
    if not hasattr(cache, "claim_hash"):
        return 0
    pending = cache.claim_hash(PENDING, FLUSHING)
    if not pending:
        return 0
    rows = [parse(field, visits) for field, visits in pending.items()]
    store(rows)
    cache.delete(FLUSHING)
    return sum(row[4] for row in rows)


def parse(field, visits):
    """A pending count's field as a (campaign id, ISO day, source, variant, visits) row."""
    campaign_id, variant, rest = field.split(":", 2)
    if "-" in variant:
        # Counted by a process from before variants, as campaign:day:source.
        return int(campaign_id), variant, rest, 0, visits
    day, source = rest.split(":", 1)
    return int(campaign_id), day, source, int(variant), visits


@transaction.atomic
def store(rows):
    """Add (campaign id, ISO day, source, variant, visits) rows to their
    tallies, leaving out campaigns deleted since."""
    existing = set(
        Campaign.objects.filter(pk__in={row[0] for row in rows}).values_list("pk", flat=True)
    )
    with connection.cursor() as cursor:
        cursor.executemany(UPSERT, [row for row in rows if row[0] in existing])
