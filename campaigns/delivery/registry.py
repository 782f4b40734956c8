"""The delivery channels by name, and which ones this deployment uses.

Each channel is a module with two functions:

- accepts(letter) -> bool: whether the channel can reach this recipient at
  all (CWC only reaches members of Congress; email needs an address);
- send(letter) -> provider_id, raising DeliveryError.

Modules are imported on first use, so a deployment pays only for the
channels it lists in DELIVERY_CHANNELS.
"""

from functools import cache
from importlib import import_module

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "outbox": "campaigns.delivery.channels.outbox",
    "email": "campaigns.delivery.channels.email",
    "cwc": "campaigns.delivery.channels.cwc",
}
# Not a channel a worker sends through, so not in BACKENDS: the letters an
# organizer handed to the office in a printed packet (campaigns/packets.py).
HAND = "hand"
# For Letter.channel, so its choices cannot drift from the registry.
CHOICES = [(name, name) for name in BACKENDS] + [(HAND, HAND)]


@cache
def backend(name):
    try:
        path = BACKENDS[name]
    except KeyError:
        known = ", ".join(BACKENDS)
        raise ImproperlyConfigured(
            f"DELIVERY_CHANNELS names {name!r}, which is not a channel ({known})."
        ) from None
    return import_module(path)


def configured():
    """The channel names to try, in order of preference."""
    return list(settings.DELIVERY_CHANNELS)
