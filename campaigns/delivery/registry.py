"""The delivery channels by name, and which ones this deployment uses.

Each channel is a module with two functions:

- accepts(letter) -> bool: whether the channel can reach this recipient at
  all (CWC only reaches members of Congress; email needs an address);
- send(letter) -> Accepted (its id for the message and the gateway's
  answer), raising DeliveryError, or NotNow when its endpoint may not be
  sent to yet (a maintenance window, the rate limit).

Modules are imported on first use, so a deployment pays only for the
channels it lists in DELIVERY_CHANNELS.
"""

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Accepted:
    """A channel's receipt for a letter: the provider id, and what the
    gateway answered (an HTTP status and body, an SMTP reply), kept on the
    letter so staff can see what "sent" rests on."""

    provider_id: str
    answer: str = ""


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
