"""From a query to the members who represent it, trying backends in order."""

import logging
from importlib import import_module

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from legislators.divisions import NO_SENATORS, STATES, Seat, seat_from_ocd_id
from legislators.lookup.errors import DistrictLookupError
from legislators.lookup.query import make_query
from legislators.lookup.result import Candidate, Representation, Status, Vacancy
from legislators.models import Chamber, Legislator
from legislators.roster import members_for
from operations import metrics

logger = logging.getLogger(__name__)

BACKENDS = {
    "census": "legislators.lookup.census",
    "geocodio": "legislators.lookup.geocodio",
    "zipcode": "legislators.lookup.zipcode",
    "shapes": "legislators.lookup.shapes",
}
# How a note names the backend that answered after another one failed.
ANSWERED_BY = {
    "census": _("the Census address service"),
    "geocodio": _("a second address service"),
    "zipcode": _("your ZIP code"),
    "shapes": _("district maps"),
}
NOT_FOUND = {
    "point": _(
        "That location is not in a U.S. congressional district. Enter your address instead."
    ),
    "zip": _("We couldn't find that ZIP code. Check it, or enter your street address."),
    "address": _("We couldn't find that address. Check the street and ZIP code."),
    "line": _("We couldn't find that address. Check the street and ZIP code."),
}
SERVICE_NAMES = {
    "census": _("The U.S. Census Bureau's address service"),
    "geocodio": _("Our second address service (Geocodio)"),
    "zipcode": _("The ZIP code table"),
    "shapes": _("The district maps"),
}
NO_MATCH = {
    "census": _("The U.S. Census Bureau's address service couldn't match your street address"),
    "geocodio": _("Our second address service (Geocodio) couldn't match your street address"),
    "zipcode": _("We couldn't find your ZIP code"),
    "shapes": _("That location is outside the district maps"),
}
UNAVAILABLE = {
    "point": _(
        "We can't look up that location right now. Try again in a few minutes, "
        "or enter your address."
    ),
    "zip": _("We can't look up ZIP codes right now. Try again in a few minutes."),
    "address": _("We can't look up addresses right now. Try again in a few minutes."),
    "line": _("We can't look up addresses right now. Try again in a few minutes."),
}
APPROXIMATE = _(
    "This is approximate, from district maps. Enter your street address for an exact match."
)
NO_ROSTER = _("We don't have the list of members of Congress yet. Please try again later.")
COUNTS = {2: _("two"), 3: _("three"), 4: _("four"), 5: _("five"), 6: _("six")}


def backend_names():
    names = settings.DISTRICT_LOOKUP_BACKENDS
    unknown = [name for name in names if name not in BACKENDS]
    if unknown:
        raise ImproperlyConfigured(
            f"DISTRICT_LOOKUP_BACKENDS: unknown {', '.join(unknown)}; use {', '.join(BACKENDS)}."
        )
    return names


def find_representation(query=None, **fields):
    """Who represents this address, ZIP or point. See the package docstring."""
    if query is None:
        query = make_query(**fields)
    setbacks = []  # why earlier backends did not decide, for the notes
    failures = []  # the backends that could not answer at all
    not_found = ""  # the most specific "no such place" a backend gave
    unmatched = []  # the backends that looked and found no such place
    for name in backend_names():
        try:
            match = import_module(BACKENDS[name]).lookup(query)
        except DistrictLookupError as error:
            metrics.count_lookup(name, "error")
            logger.warning("District lookup %s failed on a %s query: %s", name, query.kind, error)
            state = (
                _("%(service)s is not working right now")
                if error.permanent
                else _("%(service)s is not answering")
            )
            failures.append(state % {"service": SERVICE_NAMES[name]})
            setbacks.append(failures[-1])
            continue
        if match is None:
            continue  # this backend does not handle this kind of query
        metrics.count_lookup(name, "found" if match.seats else "not_found")
        if not match.seats:
            setbacks.append(str(NO_MATCH[name]))
            unmatched.append(name)
            if match.message or not not_found:
                not_found = match.message or NOT_FOUND[query.kind]
            continue
        result = _represent(query, match, failures, unmatched)
        if setbacks:
            result.notes.insert(
                0,
                _("%(setback)s, so we used %(service)s.")
                % {"setback": setbacks[0], "service": ANSWERED_BY[name]},
            )
        return result
    notes = [_("%(failure)s.") % {"failure": failure} for failure in failures]
    if not_found:
        return Representation(Status.NOT_FOUND, str(not_found), query, notes=notes)
    return Representation(Status.ERROR, str(UNAVAILABLE[query.kind]), query, notes=notes)


def legislators_for_districts(districts):
    """In-office members for these House seats (Seats or OCD ids): each
    seat's representative and its state's senators, senators first."""
    return members_for([d if isinstance(d, Seat) else seat_from_ocd_id(d) for d in districts])


def _represent(query, match, failures=(), unmatched=()):
    seats = sorted(match.seats)
    members = members_for(seats)
    common = {
        "query": query,
        "source": match.source,
        "matched_address": match.matched_address,
        "approximate": match.approximate,
        "districts": seats,
        "notes": [str(APPROXIMATE)] if match.approximate else [],
    }
    if not members and not Legislator.objects.filter(in_office=True).exists():
        logger.error("District lookup: no members of Congress loaded (run import_legislators).")
        return Representation(Status.ERROR, str(NO_ROSTER), **common)
    if len(seats) > 1:
        candidates = [
            Candidate(seat, [m for m in members if _represents(m, seat)]) for seat in seats
        ]
        message = _ambiguous_message(query, match.source, seats, failures, unmatched)
        return Representation(Status.AMBIGUOUS, message, candidates=candidates, **common)

    seat = seats[0]
    vacancies = _vacancies(seat, members)
    if not members:
        message = f"{vacancies[0]} {_('There is no one to write to until it is filled.')}"
    elif len(members) == 1:
        message = " ".join([gettext("Here is your member of Congress."), *map(str, vacancies)])
    else:
        message = " ".join([gettext("Here are your members of Congress."), *map(str, vacancies)])
    if seat.state in NO_SENATORS:
        common["notes"].append(
            _("%(state)s has no senators and one non-voting member of the House.")
            % {"state": STATES[seat.state][1]}
        )
    return Representation(Status.OK, message, legislators=members, vacancies=vacancies, **common)


def _represents(member, seat):
    if member.chamber == Chamber.SENATE:
        return member.state == seat.state
    return (member.state, member.district) == (seat.state, seat.number)


def _vacancies(seat, members):
    vacancies = []
    if not any(m.chamber == Chamber.HOUSE for m in members):
        vacancies.append(Vacancy(Chamber.HOUSE, seat.state, seat))
    if seat.state not in NO_SENATORS:
        senators = sum(m.chamber == Chamber.SENATE for m in members)
        vacancies += [Vacancy(Chamber.SENATE, seat.state)] * (2 - senators)
    return vacancies


def _ambiguous_message(query, source, seats, failures=(), unmatched=()):
    count = str(COUNTS.get(len(seats), len(seats)))
    join = _(" and ")
    states = sorted({STATES[seat.state][1] for seat in seats})
    if source == "shapes":
        return str(
            _(
                "That location is close to a district line. Enter your street address so we "
                "can find your representative."
            )
        )
    if source != "zipcode":
        return _(
            "That address matches %(count)s congressional districts. Check the street and "
            "ZIP code, or choose your district below."
        ) % {"count": count}
    if query.kind in ("address", "line") and failures:
        # The street address was never checked: say which service failed, not "your address".
        return _(
            "%(failure)s, so we couldn't check your street address, and ZIP code "
            "%(zip)s is in %(count)s congressional districts. Choose your district below, "
            "or try your address again in a few minutes."
        ) % {"failure": failures[0], "zip": query.zip5, "count": count}
    street_checked = any(name in ("census", "geocodio") for name in unmatched)
    if query.kind in ("address", "line") and street_checked:
        return _(
            "We couldn't match your street address, and ZIP code %(zip)s is in %(count)s "
            "congressional districts. Check the street address, or choose your district below."
        ) % {"zip": query.zip5, "count": count}
    if query.kind in ("address", "line"):
        # No address service is set up here: only the ZIP code was looked up.
        where = f" ({join.join(states)})" if len(states) > 1 else ""
        return _(
            "Your ZIP code %(zip)s is in %(count)s congressional districts%(where)s. "
            "Choose yours below."
        ) % {"zip": query.zip5, "count": count, "where": where}
    if len(states) > 1:
        return _(
            "Your ZIP code %(zip)s crosses a state line (%(states)s). "
            "Enter your street address so we can find your members of Congress."
        ) % {"zip": query.zip5, "states": join.join(states)}
    return _(
        "Your ZIP code %(zip)s is in %(count)s congressional districts. Enter your "
        "street address so we can find your representative."
    ) % {"zip": query.zip5, "count": count}
