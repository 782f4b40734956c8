"""The offline ZIP (ZCTA) table. A ZIP in one district decides it; a ZIP in
several is ambiguous: we never pick one of them."""

from django.db.models import Max, Min

from legislators.divisions import STATES, Seat, single_seat, territory_for_zip
from legislators.lookup.errors import DistrictLookupError
from legislators.lookup.result import Match
from legislators.models import ZipDistrict


def lookup(query):
    if query.kind == "point" or not (query.zip5 or query.state):
        return None
    state = query.state
    if query.zip5:
        rows = ZipDistrict.objects.filter(zcta=query.zip5).values_list("state", "district")
        seats = {Seat(*row) for row in rows}
        territory = territory_for_zip(query.zip5)
        if territory:
            seats.add(Seat(territory, 0))
        if seats and state:
            # The supporter told us their state: a ZIP that straddles a state
            # line narrows to it; one that lies elsewhere is a typo.
            if state not in {seat.state for seat in seats}:
                return Match((), "zipcode", message=_mismatch(query.zip5, state))
            seats = {seat for seat in seats if seat.state == state}
        if seats:
            return Match(tuple(sorted(seats)), "zipcode")
    if query.zip5 and not ZipDistrict.objects.exists():
        raise DistrictLookupError(
            "The ZIP code table is empty (run manage.py import_zip_districts).", permanent=True
        )
    if state and single_seat(state) and (not query.zip5 or _plausible(query.zip5, state)):
        # One member represents the whole state or area, whatever the ZIP.
        return Match((Seat(state, 0),), "zipcode")
    if not query.zip5:
        return None
    message = f"We couldn't find ZIP code {query.zip5}. Check it"
    message += "." if query.kind != "zip" else ", or enter your street address."
    return Match((), "zipcode", message=message)


def _plausible(zip5, state):
    """Whether a ZIP missing from the table can still be a real one in this
    state. The table lists ZCTAs, the ZIPs people live in; post-office-box
    and single-building ZIPs are not among them but share a three-digit
    prefix, and the range, of the state's own. 00000 or 99999 match neither."""
    if territory_for_zip(zip5):
        return True
    span = ZipDistrict.objects.filter(state=state, zcta__startswith=zip5[:3]).aggregate(
        low=Min("zcta"), high=Max("zcta")
    )
    return span["low"] is not None and span["low"][:3] + "00" <= zip5 <= span["high"]


def _mismatch(zip5, state):
    return f"ZIP code {zip5} is not in {STATES[state][1]}. Check the state and ZIP code."
