"""Who represents a supporter: districts from an address, then members.

The public API (everything else in this package is internal):

    make_query(street="", city="", state="", zip_code="", line="", lat=None, lon=None) -> Query
        Checks the input; raises InvalidQuery whose .errors maps each field
        (street, city, state, zip, address, lat, lon) to what to fix.
        ZIP+4 is accepted; a state may be a code or a name.

    find_representation(query=None, **make_query_fields) -> Representation
        Tries the backends in DISTRICT_LOOKUP_BACKENDS order (census,
        [geocodio,] zipcode, shapes); a backend that fails or finds nothing
        hands over to the next, and the result's notes say so. Fields:
          status          Status.OK / AMBIGUOUS / NOT_FOUND / ERROR (a StrEnum)
          message         what to tell the supporter, always set
          notes           fallbacks and caveats, for the supporter too
          source          the backend that decided ("census", "zipcode", ...)
          matched_address the address the geocoder matched, when it did
          approximate     True when decided from the coarse district maps
          districts       [Seat]: one when ok, the candidates when ambiguous
          legislators     in-office Legislator rows to write to, senators
                          first; only when ok, never guessed
          vacancies       [Vacancy]: empty seats, shown and never targeted
          candidates      [Candidate(seat, legislators, vacant)] when ambiguous
          to_dict()       the JSON form used by the view and find_reps
        Results only ever include in-office members, resolved at call time,
        so a new Congress needs nothing but `import_legislators`.

    legislators_for_districts(districts) -> [Legislator]
        In-office members for House seats given as Seats or OCD ids (the
        seats' representatives and their states' senators), senators first.
        For campaigns that resolve targets at send time.

    Seat(state, number)   a House seat; .ocd_id, .label, .name
    DistrictLookupError   a backend failed; .permanent says whether to retry
"""

from legislators.divisions import Seat
from legislators.lookup.errors import DistrictLookupError, InvalidQuery
from legislators.lookup.query import Query, make_query
from legislators.lookup.representation import find_representation, legislators_for_districts
from legislators.lookup.result import Representation, Status

__all__ = [
    "DistrictLookupError",
    "InvalidQuery",
    "Query",
    "Representation",
    "Seat",
    "Status",
    "find_representation",
    "legislators_for_districts",
    "make_query",
]
