"""The members in office for a set of seats, cached under a roster version.

Reading members through the ORM is most of a lookup whose district is
already known, so they are cached; the version changes whenever the roster
does (an import, a saved or deleted Legislator), so cached members never
outlive the roster they were read from (config.versions).
"""

from django.core.cache import cache
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from config import versions
from legislators.divisions import NO_SENATORS
from legislators.models import Chamber, Legislator

RANKS = {"senior": 0, "junior": 1}

ROSTER_VERSION = "legislators:roster-version"
MEMBERS_CACHE_SECONDS = 3600


# The members each process read by bioguide id: a district's delegation at
# most, a few hundred of them.
_by_bioguide = versions.Kept(ROSTER_VERSION, size=1024)


def roster_changed():
    versions.change(ROSTER_VERSION)


def roster_version():
    """The roster's version; None while the cache is unreachable."""
    return versions.current(ROSTER_VERSION)


@receiver([post_save, post_delete], sender=Legislator)
def _legislator_saved(**kwargs):
    roster_changed()


def members_for(seats):
    """The members for these seats, from the cache: reading them through the
    ORM is most of a lookup whose district is already known."""
    if not seats:
        return []
    version = roster_version()
    key = f"legislators:members:{version}:" + ",".join(seat.ocd_id for seat in sorted(set(seats)))
    members = cache.get(key)
    if members is None:
        members = _read_members(seats)
        cache.set(key, members, MEMBERS_CACHE_SECONDS)
    return members


def members_by_bioguide(bioguide_ids):
    """In-office members in the order given (senators first, as looked up).

    A supporter's every step reads their members by id; each process keeps
    what it read under the roster version, so a step asks the cache one
    question instead of the database. (Kept in the process, not the cache:
    a few members unpickled cost as much as the query.)"""

    def read():
        found = Legislator.objects.filter(bioguide_id__in=bioguide_ids, in_office=True).in_bulk(
            field_name="bioguide_id"
        )
        return [found[bioguide] for bioguide in bioguide_ids if bioguide in found]

    return _by_bioguide.get(tuple(bioguide_ids), read)


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
