"""Verifying a campaign's custom email targets before any letter goes to them.

A letter carries its supporter's name, street, ZIP and email, so an
organizer must not be able to route letters to any mailbox they like. The
address's owner confirms it by a signed link we email it (valid for
LINK_MAX_AGE and only for the address it was sent to), or staff approve it
in the admin. Until then publishing is refused and no letter is made for it.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from campaigns.models import CustomTarget
from campaigns.text import one_line

SALT = "campaigns.custom-target"
LINK_MAX_AGE = 14 * 86400


class UnverifiedTargets(Exception):
    """Publishing refused: these custom targets have not been verified."""

    def __init__(self, targets):
        self.targets = list(targets)
        names = ", ".join(f"{target.name} ({target.email})" for target in self.targets)
        super().__init__(
            ngettext(
                "Not published: %(names)s has not confirmed receiving letters yet. We emailed "
                "each address a link; once it is followed (or staff approve the address), "
                "publish again. Or remove the target.",
                "Not published: %(names)s have not confirmed receiving letters yet. We emailed "
                "each address a link; once it is followed (or staff approve the address), "
                "publish again. Or remove the target.",
                len(self.targets),
            )
            % {"names": names}
        )


def check_publishable(campaign):
    """Raise UnverifiedTargets naming every custom target not yet verified."""
    unverified = list(campaign.custom_targets.unverified().order_by("name"))
    if unverified:
        raise UnverifiedTargets(unverified)


def confirmation_token(target):
    # The address is signed too: a link sent to the old address cannot
    # verify a new one.
    return signing.dumps({"target": target.pk, "email": target.email}, salt=SALT)


def target_for_token(token):
    """The target a link names, still at the address it was sent to; BadSignature otherwise."""
    data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    if not isinstance(data, dict):
        raise signing.BadSignature("Not a target link.")
    target = CustomTarget.objects.select_related("campaign").filter(pk=data.get("target")).first()
    if target is None or target.email != data.get("email"):
        raise signing.BadSignature("No such target at that address.")
    return target


def verify(target, *, by=None):
    """Mark the target verified: by its owner's link (by=None) or by a staff member."""
    if not target.is_verified:
        target.verified_at = timezone.now()
        target.verified_by = by
        target.save(update_fields=["verified_at", "verified_by"])


def ask_to_confirm(target_id):
    """Email the target's address a link to confirm it wants the letters."""
    target = CustomTarget.objects.select_related("campaign").filter(pk=target_id).first()
    if target is None or target.is_verified:
        return
    campaign = target.campaign
    context = {
        "target": target,
        "campaign": campaign,
        "organization": campaign.organization or "An organizer",
        "site_name": settings.SITE_NAME,
        "confirm_url": settings.SITE_URL
        + reverse("target_confirm", args=[confirmation_token(target)]),
        "days": LINK_MAX_AGE // 86400,
    }
    EmailMessage(
        subject=one_line(f"Will you receive letters from {settings.SITE_NAME}?")[:200],
        body=render_to_string("campaigns/target_confirm_email.txt", context),
        to=[target.email],
    ).send()
