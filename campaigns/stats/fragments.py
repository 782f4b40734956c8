"""The dashboard's largest tables kept rendered: a campaign's offices,
districts and states are hundreds of rows, and writing them through the
template engine cost more than counting them. The rendered HTML is kept
(`{% cache %}` in the template) under a digest of what the tables show,
so it is written again only once a figure, a member's name or seat, or
the language changes."""

import hashlib

from campaigns.stats.campaign import COUNTS

# How long rendered tables stay cached when no view asks for them again;
# the digest, not this, keeps them right.
FRAGMENT_SECONDS = 600


def tables_version(numbers):
    """A digest of everything the per-day, state, office and district tables show."""
    shown = (
        numbers.per_day,
        numbers.by_state,
        numbers.by_district,
        [
            _office(office, office.display_name, office.seat_label)
            for office in numbers.by_legislator
        ],
        [_office(office, office.name) for office in numbers.by_custom_target],
    )
    return hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()


def _office(office, *names):
    return (office.pk, *names, *(getattr(office, count) for count in COUNTS))
