"""The campaign page as a first-time visitor sees it, rendered once per
campaign version and kept in the cache.

Such a visitor's page differs from the next one's only in the CSRF token,
the CSP nonce and the "letters sent so far" figure, so it is rendered with a
mark in place of each, and every view fills the marks in. A returning
supporter (anything in their session for this campaign besides how they
arrived), a signed-in user or a pending message gets the page rendered for
them, as before.

A browser with no session at all is served without the database: the kept
page carries the campaign it was rendered from, and one round trip to Redis
reads the figure, counts the visit and names the page's current rendering
(its stamp). Each process keeps the renderings it has served, so the page
itself crosses from Redis only the first time a process serves it. Each
language has its own kept page; the response varies on Accept-Language and
Cookie (config/language.py). Any saved campaign, translation or custom
target sets a new version (kept.py) that every kept page is checked
against, so an edit shows at once.

A campaign with variants has one kept page per wording (the key names it);
which one a browser gets is decided in campaigns/supporters/variants.py.
"""

import secrets
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation

from campaigns.models import Campaign
from campaigns.supporters import kept as kept_campaigns
from campaigns.supporters import progress, variants, visits
from campaigns.supporters.submit import progress_key

TEMPLATE = "campaigns/campaign.html"
# Long enough to spare the work, short enough that a deploy changing the
# template shows within minutes.
PAGE_CACHE_SECONDS = 600
# Each process learns a slug's campaign id and wordings from the pages it
# serves, so it can name the figure's and the page's keys in one round trip.
_campaign_ids = {}
_wordings = {}
# The pages this process has served, by key, the most recent last: the
# busiest campaigns' pages, each a few tens of kilobytes.
_served = OrderedDict()
SERVED_KEPT = 64


@dataclass
class KeptPage:
    version: str  # the campaigns' (kept.version) it was rendered at
    campaign: Campaign
    accepting: bool
    wordings: tuple  # the campaign's wordings when rendered (variants.choices)
    marks: dict
    html: str
    # This rendering's, kept beside it under stamp_key ("" in a page kept
    # by an older release, which no stamp then matches).
    stamp: str = ""


def page_key(slug, variant=variants.CONTROL):
    # One page per language (the request's, chosen by LocaleMiddleware) and wording.
    return f"campaign-page:{slug}:{translation.get_language()}:{variant}"


def stamp_key(key):
    return f"{key}:stamp"


def is_first_view(request, state):
    return (
        not (state.keys() - {"tracking", "variant"})
        and not request.user.is_authenticated
        and not len(get_messages(request))
    )


def served_without_database(request, slug, new_visitor):
    """The page, or None when this request needs the database: a browser
    with a session, tracking parameters, a page not kept yet or kept from an
    older version. The page counts the visit (a new visitor's) it serves."""
    campaign_id, wordings = _campaign_ids.get(slug), _wordings.get(slug)
    if (
        campaign_id is None
        or not hasattr(cache, "get_many_and_count")
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "messages" in request.COOKIES
        or progress.tracking_from(request.GET)
        or request.GET.get("change")
    ):
        return None
    variant = variants.for_new_request(request, wordings)
    if variant is None:
        return None
    key = page_key(slug, variant)
    counter = visits.counter(campaign_id, "", variant) if new_visitor else None
    found = cache.get_many_and_count(
        [kept_campaigns.VERSION, stamp_key(key), progress_key(campaign_id)], counter
    )
    if found is None:
        return None
    kept = _kept_rendering(key, found[stamp_key(key)])
    if (
        kept is None
        or kept.campaign.pk != campaign_id
        or found[kept_campaigns.VERSION] is None
        or kept.version != found[kept_campaigns.VERSION]
        or kept.accepting != kept.campaign.is_accepting_letters()
        or variant not in kept.wordings
    ):
        if counter is not None:
            # Counted in the same round trip, in case; the database's path counts it.
            cache.add_to_hash(*counter, amount=-1)
        return None
    # A page of the current version knows the wordings best: a variant added
    # since this process last rendered is drawn from the next view on.
    _wordings[slug] = kept.wordings
    figure = found[progress_key(campaign_id)]
    if figure is None:
        figure = progress.letters_sent(kept.campaign)
    response = _fill(request, kept, figure)
    variants.remember(request, response, slug, variant, kept.wordings)
    return response


def _kept_rendering(key, stamp):
    """The page under `key` whose stamp is `stamp`: this process's copy, or
    Redis's, read once and kept for the next views. None when neither has it."""
    kept = _served.get(key)
    if kept is None or kept.stamp != stamp:
        kept = cache.get(key)
        if kept is None or kept.stamp != stamp:
            return None
    _serve_again(key, kept)
    return kept


def _serve_again(key, kept):
    _served[key] = kept
    _served.move_to_end(key)
    if len(_served) > SERVED_KEPT:
        _served.popitem(last=False)


def first_view(
    request, campaign, context, *, variant=variants.CONTROL, template=TEMPLATE, key=None, fills=None
):
    """The page for a first-time visitor shown `variant` (an id, or
    variants.CONTROL); context(campaign) builds the page's context.

    fills: what each view fills in besides the nonce and the figure, by the
    context variable it stands for; by default the CSRF token. (The embed
    fills in its own token instead, and the embedding site: see frames.py.)
    """
    key = key or page_key(campaign.slug, variant)
    fills = fills if fills is not None else {"csrf_token": get_token(request)}
    accepting = campaign.is_accepting_letters()
    kept = cache.get(key)
    if (
        kept is None
        or kept.campaign.pk != campaign.pk
        or kept.campaign.updated_at != campaign.updated_at
        or kept.accepting != accepting
        or not fills.keys() <= kept.marks.keys()
        or not kept.stamp
    ):
        # The version first, then the campaign: a page kept under a version
        # is never older than that version's campaign (nor its variants,
        # whose changes save the campaign).
        version = kept_campaigns.version()
        campaign = Campaign.objects.get(pk=campaign.pk)
        marks, html = _render_with_marks(request, context(campaign), template, fills)
        wordings = variants.choices(campaign)
        kept = KeptPage(
            version,
            campaign,
            campaign.is_accepting_letters(),
            wordings,
            marks,
            html,
            stamp=secrets.token_hex(8),
        )
        cache.set_many({key: kept, stamp_key(key): kept.stamp}, PAGE_CACHE_SECONDS)
        _serve_again(key, kept)
    _campaign_ids[campaign.slug] = campaign.pk
    _wordings[campaign.slug] = kept.wordings
    return _fill(request, kept, progress.letters_sent(campaign), fills)


def _fill(request, kept, letters_sent, fills=None):
    shown = progress.progress_shown(kept.campaign, letters_sent)
    values = {
        "csp_nonce": str(get_nonce(request)),
        "progress_mark": _progress_html(translation.get_language(), shown),
        **(fills if fills is not None else {"csrf_token": get_token(request)}),
    }
    html = kept.html
    for name, value in values.items():
        html = html.replace(kept.marks[name], value)
    return HttpResponse(html)


@lru_cache(maxsize=1024)
def _progress_html(language, shown):
    # The same few lines for every view of one figure; a live campaign's
    # figure moves with its letters, so the cache holds the last figures of many.
    return render_to_string(f"{TEMPLATE}#progress", {"progress": shown})


def _render_with_marks(request, context, template, fills):
    # Fresh marks each time: no campaign's own text can contain them.
    marks = {
        name: f"mark-{secrets.token_hex(12)}" for name in ("csp_nonce", "progress_mark", *fills)
    }
    html = render_to_string(template, context | marks | {"messages": []}, request)
    return marks, html
