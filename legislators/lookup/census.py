"""US Census Geocoder: free, no key, exact to the address range."""

import re

from legislators.divisions import seat_from_geoid
from legislators.lookup.errors import DistrictLookupError
from legislators.lookup.http import cached, get_json
from legislators.lookup.result import Match

BASE_URL = "https://geocoding.geo.census.gov/geocoder/geographies/"
PARAMS = {
    "benchmark": "Public_AR_Current",
    "vintage": "Current_Current",
    # Without layers the default set can leave the congressional districts out.
    "layers": "all",
    "format": "json",
}
# The layer is renamed every Congress ("119th Congressional Districts").
LAYER = re.compile(r"^(\d+)(st|nd|rd|th) Congressional Districts$")
SERVICE = "The Census address service"


def lookup(query):
    if query.kind == "point":
        endpoint, params = "coordinates", {"x": query.lon, "y": query.lat}
    elif query.kind == "line":
        endpoint, params = "onelineaddress", {"address": query.line}
    elif query.kind == "address":
        endpoint = "address"
        params = {"street": query.street, "city": query.city, "state": query.state}
        params["zip"] = query.zip5
    else:
        # A ZIP alone is not an address; the ZIP table answers it.
        return None
    return cached(
        "census",
        query,
        lambda: parse(get_json(BASE_URL + endpoint, {**params, **PARAMS}, service=SERVICE)),
    )


def parse(data):
    """A geographies answer (address or coordinates) as a Match."""
    result = data.get("result")
    if not isinstance(result, dict):
        raise DistrictLookupError(f"{SERVICE} answered without a result.", permanent=True)
    if "addressMatches" not in result:
        return Match(tuple(_seats(result.get("geographies"))), "census")
    matches = result["addressMatches"]
    if not isinstance(matches, list):
        raise DistrictLookupError(f"{SERVICE} answered a malformed addressMatches.", True)
    seats = []
    for match in matches:
        seats.extend(_seats(match.get("geographies") if isinstance(match, dict) else None))
    matched = matches[0].get("matchedAddress", "") if matches else ""
    return Match(tuple(sorted(set(seats))), "census", matched_address=str(matched))


def _seats(geographies):
    if not isinstance(geographies, dict):
        raise DistrictLookupError(f"{SERVICE} answered without geographies.", permanent=True)
    layers = {int(m.group(1)): key for key in geographies if (m := LAYER.match(key))}
    if not layers:
        raise DistrictLookupError(
            f"{SERVICE} answered without a congressional district layer.", permanent=True
        )
    # Should a vintage carry two Congresses, the newer one is in force.
    entries = geographies[layers[max(layers)]]
    if not isinstance(entries, list):
        raise DistrictLookupError(f"{SERVICE} answered a malformed district layer.", True)
    seats = []
    for entry in entries:
        geoid = str(entry.get("GEOID", "")) if isinstance(entry, dict) else ""
        if geoid.upper().endswith("ZZ"):
            # Census's code for water that lies in no district.
            continue
        try:
            seats.append(seat_from_geoid(geoid))
        except ValueError as error:
            raise DistrictLookupError(f"{SERVICE}: {error}", permanent=True) from None
    return seats
