"""Which submissions this browser sent, kept in a signed cookie.

Only the browser that sent letters sees to whom they went (the thank-you
page), and an address's earlier letters are this browser's only if it sent
them (progress.letter_step). A send used to record that in the session: a
second durable write beside the posting (an UPDATE of the session's row and
a cache write) on every send. A cookie signed with SECRET_KEY is as
durable and as much the browser's own, and the send's request writes the
posting alone.

The receipts are a mapping like the session progress.py reads and writes
("submissions"); a frame keeps its own in its token (frames.py).
"""

from django.conf import settings
from django.core import signing

COOKIE = "sent"
SALT = "campaigns.supporters.receipts"
# As long as a session lives: what a browser sent is remembered as long as before.
MAX_AGE = settings.SESSION_COOKIE_AGE


def of(request):
    """This browser's receipts, read once per request."""
    if not hasattr(request, "_receipts"):
        try:
            sent = signing.loads(request.COOKIES.get(COOKIE, ""), salt=SALT, max_age=MAX_AGE)
        except signing.BadSignature:
            sent = []
        if not isinstance(sent, list):
            sent = []
        # Sessions written before the receipts moved here still name theirs.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            sent = [*request.session.get("submissions", []), *sent]
        request._receipts = {"submissions": sent}
        request._receipts_read = list(sent)
    return request._receipts


def keep(request, response):
    """Write the receipts to the response's cookie when this request added one."""
    receipts = getattr(request, "_receipts", None)
    if receipts is None or receipts["submissions"] == request._receipts_read:
        return response
    response.set_cookie(
        COOKIE,
        signing.dumps(receipts["submissions"], salt=SALT),
        max_age=MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
