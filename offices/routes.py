"""Which channels reach a letter's office: DELIVERY_CHANNELS, read through the directory.

CWC reaches an office only when its chamber's list enrols it (and gives its
code); email only when there is an address (a custom target's, the office's
override, or DELIVERY_OFFICE_EMAILS); the outbox, which stands in for both,
wherever one of them would go. Staff can mark an office "no route": then
nothing does, whatever else is known. With no channel, the letter ends
NO_ROUTE and the supporter is told at once.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist

from campaigns.delivery import registry
from campaigns.delivery.errors import DeliveryError


class NoRoute(DeliveryError):
    """No configured channel reaches the office: the letter ends NO_ROUTE."""

    def __init__(self, reason):
        super().__init__(reason, permanent=True)


@dataclass(frozen=True)
class Route:
    channels: tuple  # names, in DELIVERY_CHANNELS order
    reason: str = ""  # why there is none, for staff

    def __bool__(self):
        return bool(self.channels)


def office_of(legislator):
    """The legislator's directory entry, or None when the directory has none."""
    try:
        return legislator.office
    except ObjectDoesNotExist:
        return None


def cwc_code(legislator):
    """The office code CWC routes by, when CWC reaches this office; else None."""
    office = office_of(legislator)
    if office is None or office.no_route or not office.enrolled or not office.cwc_code:
        return None
    return office.cwc_code


def email_address(legislator):
    """Where letters to this member's office go by email, or None."""
    office = office_of(legislator)
    if office is not None and office.no_route:
        return None
    if office is not None and office.email:
        return office.email
    return settings.DELIVERY_OFFICE_EMAILS.get(legislator.bioguide_id)


def route(letter):
    """The channels that reach this (possibly unsaved) letter's office."""
    names = registry.configured()
    channels = tuple(name for name in names if registry.backend(name).accepts(letter))
    if channels or letter.legislator_id is None:
        return Route(channels, "" if channels else _none_configured(names))
    return Route((), _why_not(letter.legislator, names))


def _why_not(legislator, names):
    office = office_of(legislator)
    if office is not None and office.no_route:
        return "Staff marked this office as taking no electronic letters" + (
            f": {office.note}" if office.note else "."
        )
    facts = []
    if office is None:
        facts.append("it is not in the office directory (import_offices has not listed it)")
    elif not office.enrolled:
        facts.append("CWC's office list does not include it")
    facts.append("it has no email address")
    return f"No delivery channel reaches this office ({', '.join(names)}): {', and '.join(facts)}."


def _none_configured(names):
    return f"No delivery channel reaches this recipient ({', '.join(names)})."
