"""The limit on address lookups, shared by the campaign page and /lookup/:
each one may cost a geocoder request (and a Geocodio key's quota)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from config import throttle

TOO_MANY_LOOKUPS = _(
    "We've had a lot of address lookups from your connection. Please try again {when}."
)
HOUR = 3600


def lookup_refusal(request):
    """Why this lookup may not go ahead, or None. Counts the attempt."""
    ip = throttle.client_ip(request)
    if not throttle.allow("lookup-ip", ip, settings.LOOKUPS_PER_IP_PER_HOUR, HOUR):
        return TOO_MANY_LOOKUPS.format(when=throttle.wait_phrase(HOUR))
    return None
