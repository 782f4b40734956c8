"""The members in office for a set of seats, cached under a roster version.

Reading members through the ORM is most of a lookup whose district is
already known, so they are cached; the version is bumped whenever the roster
changes (an import, a saved or deleted Legislator), so cached members never
outlive the roster they were read from.
"""

from django.core.cache import cache
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from legislators.divisions import NO_SENATORS
from legislators.models import Chamber, Legislator

RANKS = {"senior": 0, "junior": 1}

ROSTER_VERSION = "legislators:roster-version"
MEMBERS_CACHE_SECONDS = 3600


def roster_changed():
    try:
        cache.incr(ROSTER_VERSION)
    except ValueError:
        cache.set(ROSTER_VERSION, 1, timeout=None)


@receiver([post_save, post_delete], sender=Legislator)
def _legislator_saved(**kwargs):
    roster_changed()


def members_for(seats):
    """The members for these seats, from the cache: reading them through the
    ORM is most of a lookup whose district is already known."""
    if not seats:
        return []
    version = cache.get(ROSTER_VERSION, 0)
    key = f"legislators:members:{version}:" + ",".join(seat.ocd_id for seat in sorted(set(seats)))
    members = cache.get(key)
    if members is None:
        members = _read_members(seats)
        cache.set(key, members, MEMBERS_CACHE_SECONDS)
    return members


def _read_members(seats):
    condition = Q()
    for seat in set(seats):
        condition |= Q(chamber=Chamber.HOUSE, state=seat.state, district=seat.number)
    senate_states = {seat.state for seat in seats} - NO_SENATORS
    if senate_states:
        condition |= Q(chamber=Chamber.SENATE, state__in=senate_states)
    members = Legislator.objects.filter(condition, in_office=True)
    return sorted(members, key=_order)


def _order(member):
    return (
        member.chamber != Chamber.SENATE,
        member.state,
        RANKS.get(member.state_rank, len(RANKS)),
        member.district or 0,
        member.last_name,
        member.bioguide_id,
    )
