"""Issue, check and revoke API tokens. A token is shown once, when issued;
the database keeps its SHA-256 (a random 256-bit token needs no slow hash)."""

import hashlib
import secrets

from django.utils import timezone

from api.models import ApiToken
from campaigns.permissions import is_organizer

PREFIX = "cst_"
# Write last_used_at at most this often, not on every request.
TOUCH_EVERY_SECONDS = 60


def digest_of(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(owner, name, scope=ApiToken.Scope.READ):
    """(ApiToken, the token itself): show the token to its owner now, never again."""
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        owner=owner, name=name, scope=scope, prefix=raw[:10], digest=digest_of(raw)
    )
    return token, raw


def authenticate(raw):
    """The live token for this string, or None. An owner who is no longer an
    organizer (or no longer active) loses their tokens' access with it."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("owner")
        .filter(digest=digest_of(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.owner.is_active or not is_organizer(token.owner):
        return None
    now = timezone.now()
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() > TOUCH_EVERY_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def revoke(token):
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
