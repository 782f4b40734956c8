"""A campaign page inside another site's frame, working without cookies.

Browsers block third-party cookies in cross-site frames, so an embedded
campaign keeps nothing in a session and sets no cookie at all:

- The supporter's progress, what the campaign page keeps in the session
  (who, where, which members; progress.py) and a cookie (which submissions
  this browser sent; receipts.py), travels in a token signed with django.core.signing, salted per
  campaign, that expires after EMBED_FLOW_SECONDS. It goes in a hidden field
  of each form and is posted, never put in a URL; each step answers its post
  with the next step's page instead of redirecting to it.
- That token also stands in for the CSRF cookie: the embed's forms skip
  Django's cookie check, and a post is accepted only with a token this server
  signed for this campaign, not expired, sent from one of our own pages (the
  Origin header, or the Referer when there is no Origin). Without cookies a
  forged post borrows no one's authority; the throttles, the idempotency key
  of the letter form and every validation apply as on the campaign page.
- The thank-you page's address carries a second signed token naming only
  the submission, which shows that frame its letters for a day.
- The embedding site is one of the campaign's listed origins: the Referer
  of the frame's first load, or, when that request has no Referer from
  another site, the origin embed.js passes as ?host=; anything unlisted is
  ignored. Its host is the source that visits and letters are counted under,
  and the only origin the frame tells its height to (postMessage).
- Responses carry the campaign's origins as CSP frame-ancestors ('none' when
  there are none) and, only when it has some, no X-Frame-Options.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core import signing
from django.middleware.csp import get_nonce
from django.urls import reverse
from django.utils.csp import CSP, build_policy
from django.utils.translation import gettext_lazy as _

from campaigns.models import Submission
from campaigns.origins import host_of, origin_of

# The field {% csrf_token %} renders: in a frame it carries the flow token,
# so the steps' templates are the campaign page's own.
TOKEN_FIELD = "csrfmiddlewaretoken"  # noqa: S105 (a field name, not a secret)
RECEIPT_SECONDS = 24 * 3600
LABEL = re.compile(r"[\w.-]{1,40}")
SOURCE_CHARS = Submission._meta.get_field("source").max_length

EXPIRED = _(
    "This page was open for a long time, so it no longer holds your details. "
    "Please enter them again."
)
UNREADABLE = _("We could not read this form's details. Please enter them again.")
ELSEWHERE = _("This form can only be sent from its own page. Please fill it in again.")


class Refused(Exception):
    """A post the embed does not act on: the message says why, for the supporter."""

    def __init__(self, message, status, flow):
        super().__init__(message)
        self.message, self.status = message, status
        self.flow = flow  # what is still known: the embedding site, when the token showed it


@dataclass
class Flow:
    """One supporter's way through an embedded campaign."""

    campaign: object
    parent: str = ""  # the embedding origin, "" when not a listed one
    label: str = ""  # the partner's own name for this embed (data-source)
    state: dict = field(default_factory=dict)  # as progress.py keeps it in a session
    # What receipts.py's cookie would remember of this browser: progress.py
    # reads and writes its "submissions" as it does the cookie's.
    memory: dict = field(default_factory=dict)

    @property
    def source(self):
        return source_for(self.parent, self.label)

    def token(self):
        payload = {"p": self.parent, "l": self.label, "s": self.state, "m": self.memory}
        return signing.dumps(payload, salt=_salt("flow", self.campaign), compress=True)

    def page_url(self, **extra):
        """The frame's own address, keeping what identifies the embedding site."""
        params = {"host": self.parent, "source": self.label, **extra}
        query = urlencode({name: value for name, value in params.items() if value})
        url = reverse("campaign_embed", args=[self.campaign.slug])
        return f"{url}?{query}" if query else url

    def urls(self):
        """Where the steps' forms and links go inside the frame."""
        slug = self.campaign.slug
        return {
            # The same for every frame, so that the first step's page can be kept.
            "lookup_url": reverse("campaign_embed", args=[slug]),
            "page_url": self.page_url(),
            "change_url": self.page_url(change=1),
            "district_url": reverse("campaign_embed_district", args=[slug]),
            "send_url": reverse("campaign_embed_send", args=[slug]),
        }


def _salt(kind, campaign):
    return f"campaigns.embed.{kind}:{campaign.uuid.hex}"


def start(request, campaign):
    """The flow of a frame's first load: the embedding site, and no progress."""
    parent = embedding_origin(request, campaign)
    label = request.GET.get("source", "")
    return _fresh(campaign, parent, label if parent and LABEL.fullmatch(label) else "")


def _fresh(campaign, parent, label):
    """A flow with no progress yet, its steps counted under the embedding site."""
    flow = Flow(campaign, parent, label)
    if flow.source:
        flow.state["tracking"] = {"source": flow.source}
    return flow


def embedding_origin(request, campaign):
    """The listed origin this frame is embedded in, or ""."""
    referer = request.headers.get("Referer", "")
    claimed = request.GET.get("host", "")
    if referer and not is_ours(request, referer):
        # The browser's word beats the query's: an unlisted page cannot claim a listed one.
        claimed = referer
    origin = origin_of(claimed)
    return origin if origin in campaign.embed_origins else ""


def source_for(parent, label):
    """The source column's value: the host, then any label, as the column holds it."""
    if not parent:
        return ""
    return (f"{host_of(parent)}/{label}" if label else host_of(parent))[:SOURCE_CHARS]


def is_ours(request, url):
    """Whether url is on this site, as the CSRF check would see it."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    return (parts.scheme == request.scheme and parts.netloc == request.get_host()) or (
        origin in settings.CSRF_TRUSTED_ORIGINS
    )


def resume(request, campaign):
    """The flow a post carries, or Refused saying why it cannot go on."""
    sender = request.headers.get("Origin") or request.headers.get("Referer", "")
    if not sender or not is_ours(request, sender):
        raise Refused(ELSEWHERE, 403, Flow(campaign))
    token, salt = request.POST.get(TOKEN_FIELD, ""), _salt("flow", campaign)
    try:
        payload = signing.loads(token, salt=salt, max_age=settings.EMBED_FLOW_SECONDS)
    except signing.SignatureExpired:
        # Genuine but old: the supporter's details are dropped, the site kept.
        payload = signing.loads(token, salt=salt)
        raise Refused(EXPIRED, 400, _fresh(campaign, payload["p"], payload["l"])) from None
    except signing.BadSignature:
        raise Refused(UNREADABLE, 400, Flow(campaign)) from None
    return Flow(campaign, payload["p"], payload["l"], payload["s"], payload["m"])


def receipt_token(campaign, submission_uuid, parent):
    return signing.dumps(
        {"submission": submission_uuid.hex, "p": parent}, salt=_salt("receipt", campaign)
    )


def read_receipt(campaign, submission_uuid, token):
    """The embedding origin when the token shows this frame sent the
    submission; None when it does not (forged, another one's, or old)."""
    try:
        payload = signing.loads(token, salt=_salt("receipt", campaign), max_age=RECEIPT_SECONDS)
    except signing.BadSignature:
        return None
    return payload["p"] if payload["submission"] == submission_uuid.hex else None


def framed(request, response, campaign):
    """Let the campaign's listed sites, and only those, frame this response."""
    policy = dict(settings.SECURE_CSP)
    policy["frame-ancestors"] = list(campaign.embed_origins) or [CSP.NONE]
    response.headers[str(CSP.HEADER_ENFORCE)] = build_policy(policy, get_nonce(request))
    if campaign.embed_origins:
        # X-Frame-Options cannot name sites; the CSP above says who may frame.
        response.xframe_options_exempt = True
    return response
