"""Geocodio (needs GEOCODIO_API_KEY): a commercial geocoder with districts."""

from django.conf import settings

from legislators.divisions import NO_SENATORS, Seat
from legislators.lookup.errors import DistrictLookupError
from legislators.lookup.http import cached, get_json
from legislators.lookup.result import Match

URL = "https://api.geocod.io/v1.11/geocode"
SERVICE = "The Geocodio address service"
# A result placed only at a city, county or state centroid would pick that
# centroid's district for a whole town: only street-level results count.
PRECISE = {
    "rooftop",
    "point",
    "range_interpolation",
    "nearest_rooftop_match",
    "intersection",
    "street_center",
}


def lookup(query):
    api_key = settings.GEOCODIO_API_KEY
    if not api_key or query.kind not in ("line", "address"):
        return None
    if query.kind == "line":
        params = {"q": query.line}
    else:
        params = {"street": query.street, "city": query.city, "state": query.state}
        params["postal_code"] = query.zip5
    params.update(fields="cd", api_key=api_key)
    return cached(
        "geocodio",
        query,
        # 422: Geocodio could not make an address of the input.
        lambda: parse(get_json(URL, params, service=SERVICE, no_match_statuses=(422,))),
    )


def parse(data):
    if data is None:
        return Match((), "geocodio")
    results = data.get("results")
    if not isinstance(results, list):
        raise DistrictLookupError(f"{SERVICE} answered without results.", permanent=True)
    precise = [r for r in results if isinstance(r, dict) and r.get("accuracy_type") in PRECISE]
    if not precise:
        return Match((), "geocodio")
    best = max(r.get("accuracy", 0) for r in precise)
    seats = set()
    for result in precise:
        if result.get("accuracy", 0) == best:
            seats |= _seats(result)
    matched = str(precise[0].get("formatted_address", ""))
    return Match(tuple(sorted(seats)), "geocodio", matched_address=matched)


def _seats(result):
    state = str((result.get("address_components") or {}).get("state", "")).upper()
    districts = (result.get("fields") or {}).get("congressional_districts")
    if not isinstance(districts, list) or not districts:
        raise DistrictLookupError(f"{SERVICE} answered without congressional districts.", True)
    seats = set()
    for district in districts:
        number = district.get("district_number") if isinstance(district, dict) else None
        try:
            number = int(number)
            # Geocodio numbers the DC delegate 98, as Census does.
            seats.add(Seat(state, 0 if number == 98 and state in NO_SENATORS else number))
        except (TypeError, ValueError) as error:
            raise DistrictLookupError(f"{SERVICE}: {error}", permanent=True) from None
    return seats
