"""Which wording of a campaign a supporter is shown: the campaign's own (the
control, "A", id 0 here) or one of its active Variants, drawn at random and
kept for as long as the browser is a known visitor.

Why the draw happens on the first view, with one kept page per wording,
rather than at the lookup: a variant may change the page's headline, which
shows before any form step. The first view stays cacheable all the same
(campaigns/supporters/page.py keeps one rendered page per wording); a
browser with no session draws with the process's random generator among the
wordings the process learned from the kept pages, and is served that
wording's page from the cache, still without SQL.

Where the assignment is kept: in a small signed cookie scoped to the
campaign's path (it reaches the lookup and the send, which live under it),
lasting as long as the cookie that makes a browser a known visitor, so a
visitor is counted for one wording only; and, from the lookup on, in the
supporter's session state, which wins over the cookie (a browser that
loses the cookie keeps its wording through its session). Signed, so a
forged value is ignored, not trusted.

Retiring a variant stops new draws at once (it bumps the campaign's
updated_at, which every kept page and the list below are checked against).
A browser already holding it gets a new draw among the active wordings, the
control included, on its next page view, and is not counted a visitor again
(it was counted for the retired one); a letter being written when it was
retired is still sent, and recorded, as the wording the supporter was shown.
"""

import random

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from campaigns.letters import LetterTemplate
from campaigns.models import Variant
from campaigns.supporters.visits import VISITED_SECONDS

CONTROL = 0
COOKIE = "variant"
SALT = "campaigns.variant"
ACTIVE_CACHE_SECONDS = 600
# A draw between wordings, not a secret: a seedable generator (tests seed it).
rng = random.Random()


def active(campaign):
    """The campaign's active variants, kept in the cache under its updated_at
    (any change to a variant saves the campaign), so a page view reads them
    without a query."""
    key = f"campaign-variants:{campaign.pk}:{campaign.updated_at.timestamp()}"
    return cache.get_or_set(
        key,
        lambda: list(Variant.objects.filter(campaign=campaign, retired_at__isnull=True)),
        ACTIVE_CACHE_SECONDS,
    )


def choices(campaign):
    """The wordings a new visitor may be shown: (CONTROL, *active variant ids)."""
    return (CONTROL, *(variant.pk for variant in active(campaign)))


def draw(wordings, generator=None):
    """One of the wordings, each equally likely."""
    return wordings[(generator or rng).randrange(len(wordings))]


def from_cookie(request):
    """The wording this browser's signed cookie names, or None."""
    value = request.get_signed_cookie(COOKIE, default=None, salt=SALT)
    return int(value) if value is not None and value.isdigit() else None


def for_new_request(request, wordings):
    """The wording for a browser without a session, from its cookie or a
    fresh draw; None when its cookie names one not among `wordings` (a
    retired variant, or a list this process has not learned yet)."""
    held = from_cookie(request)
    if held is None:
        # Kept on the request: if the page must come from the database after
        # all, assign() keeps this draw rather than drawing again (unless it
        # was drawn from wordings since changed).
        chosen = draw(wordings)
        request.variant_drawn = (wordings, chosen)
        return chosen
    return held if held in wordings else None


def assign(request, campaign, state):
    """The wording for this page view: the session's, else the cookie's,
    while active; else a new draw (see the module's note on retiring). Put in
    the state when the campaign has variants, for the letter step and the
    send to read; the view saves it."""
    wordings = choices(campaign)
    held = state.get("variant", from_cookie(request))
    drawn_from, drawn = getattr(request, "variant_drawn", (None, None))
    if held is None and drawn_from == wordings:
        held = drawn
    chosen = held if held in wordings else draw(wordings)
    if "variant" in state or len(wordings) > 1:
        state["variant"] = chosen
    return chosen


def remember(request, response, slug, chosen, wordings):
    """Leave the cookie when the campaign has variants and it says otherwise;
    take back one naming a wording when none is shown any more, which would
    keep its browser from the kept page."""
    path = reverse("campaign", args=[slug])
    if len(wordings) > 1 and from_cookie(request) != chosen:
        response.set_signed_cookie(
            COOKIE,
            str(chosen),
            salt=SALT,
            max_age=VISITED_SECONDS,
            path=path,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    elif len(wordings) == 1 and COOKIE in request.COOKIES:
        response.delete_cookie(COOKIE, path=path, samesite="Lax")


def shown(campaign, variant_id):
    """The active Variant with this id, or None for the control (or a
    variant retired since: its page is then the control's)."""
    return next((v for v in active(campaign) if v.pk == variant_id), None)


def held(campaign, state):
    """The Variant the supporter's letter came from, retired or not: a letter
    being written when its variant was retired keeps its wording."""
    variant_id = state.get("variant") or CONTROL
    if variant_id == CONTROL:
        return None
    return (
        shown(campaign, variant_id)
        or Variant.objects.filter(pk=variant_id, campaign=campaign).first()
    )


def letter_template(campaign, variant):
    """The letter as this wording proposes it: the variant's subject and body
    where it has them, the campaign's elsewhere."""
    own = campaign.letter_template()
    if variant is None:
        return own
    return LetterTemplate(
        subject=variant.letter_subject or own.subject, body=variant.letter_body or own.body
    )


def headline(campaign, variant):
    return (variant and variant.headline) or campaign.title
