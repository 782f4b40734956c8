"""The campaign page as a first-time visitor sees it, rendered once per
campaign version and kept in the cache.

Such a visitor's page differs from the next one's only in the CSRF token,
the CSP nonce and the "letters sent so far" figure, so it is rendered with a
mark in place of each, and every view fills the marks in. A returning
supporter (anything in their session for this campaign besides how they
arrived), a signed-in user or a pending message gets the page rendered for
them, as before.
"""

import secrets

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from campaigns.supporters import progress

TEMPLATE = "campaigns/campaign.html"
# Long enough to spare the work, short enough that a deploy changing the
# template shows within minutes; a campaign's edit shows at once (its version).
PAGE_CACHE_SECONDS = 600


def is_first_view(request, state):
    return (
        not (state.keys() - {"tracking"})
        and not request.user.is_authenticated
        and not len(get_messages(request))
    )


def first_view(request, campaign, context):
    """The page for a first-time visitor; context() builds the page's context."""
    accepting = campaign.is_accepting_letters()
    key = f"campaign-page:{campaign.pk}:{campaign.updated_at.timestamp()}:{accepting}"
    cached = cache.get(key)
    if cached is None:
        cached = _render_with_marks(request, context())
        cache.set(key, cached, PAGE_CACHE_SECONDS)
    marks, html = cached
    figure = render_to_string(
        f"{TEMPLATE}#progress", {"letters_sent": progress.letters_sent(campaign)}
    )
    html = (
        html.replace(marks["csrf_token"], get_token(request))
        .replace(marks["csp_nonce"], str(get_nonce(request)))
        .replace(marks["progress_mark"], figure)
    )
    return HttpResponse(html)


def _render_with_marks(request, context):
    # Fresh marks each time: no campaign's own text can contain them.
    marks = {
        name: f"mark-{secrets.token_hex(12)}"
        for name in ("csrf_token", "csp_nonce", "progress_mark")
    }
    html = render_to_string(TEMPLATE, context | marks | {"messages": []}, request)
    return marks, html
