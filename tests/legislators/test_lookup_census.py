import json

import pytest
import requests
from responses import matchers

from legislators.divisions import Seat
from legislators.lookup import DistrictLookupError, census, make_query
from tests.conftest import shared_path
from tests.legislators.conftest import FIXTURES

ADDRESS_URL = census.BASE_URL + "address"
ONELINE_URL = census.BASE_URL + "onelineaddress"
RECORDED = ("data", "census-geocoder")


def recorded(name):
    return json.loads(shared_path(*RECORDED, name).read_text())


def fixture(name):
    return json.loads((FIXTURES / name).read_text())


def test_parses_the_recorded_116th_response():
    match = census.parse(recorded("census_geographies_onelineaddress_2525-buckelew-dr_cd116.json"))
    assert match.seats == (Seat("VA", 8),)
    assert match.source == "census"
    assert "BUCKELEW" in match.matched_address.upper()


def test_parses_the_recorded_111th_response():
    data = recorded("census_geographies_onelineaddress_4600-silver-hill-rd_cd111.json")
    layer = next(key for key in data["result"]["addressMatches"][0]["geographies"] if "Cong" in key)
    geoid = data["result"]["addressMatches"][0]["geographies"][layer][0]["GEOID"]
    match = census.parse(data)
    assert layer == "111th Congressional Districts"
    assert match.seats == (Seat("MD", int(geoid[2:])),)


def test_structured_address_request_and_119th_layer(no_network):
    no_network.get(
        ADDRESS_URL,
        json=fixture("census_119th_address.json"),
        match=[
            matchers.query_param_matcher(
                {
                    "street": "1 Made Up Way",
                    "city": "Oakland",
                    "state": "CA",
                    "zip": "94612",
                    "benchmark": "Public_AR_Current",
                    "vintage": "Current_Current",
                    "layers": "all",
                    "format": "json",
                }
            )
        ],
    )
    query = make_query(street="1 Made Up Way", city="Oakland", state="ca", zip_code="94612-1234")
    match = census.lookup(query)
    assert match.seats == (Seat("CA", 12),)
    assert match.matched_address == "1 MADE UP WAY, OAKLAND, CA, 94612"


def test_one_line_request(no_network):
    no_network.get(
        ONELINE_URL,
        json=fixture("census_119th_address.json"),
        match=[
            matchers.query_param_matcher(
                {"address": "1 Made Up Way, Oakland CA 94612"}, strict_match=False
            )
        ],
    )
    assert census.lookup(make_query(line="1 Made Up Way, Oakland CA 94612")).seats == (
        Seat("CA", 12),
    )


def test_coordinates_request(no_network):
    no_network.get(
        census.BASE_URL + "coordinates",
        json=fixture("census_119th_coordinates.json"),
        match=[matchers.query_param_matcher({"x": "-149.9", "y": "61.2"}, strict_match=False)],
    )
    assert census.lookup(make_query(lat="61.2", lon="-149.9")).seats == (Seat("AK", 0),)


def test_a_zip_alone_is_not_sent():
    assert census.lookup(make_query(zip_code="94612")) is None


def test_no_match_is_an_empty_answer(no_network):
    no_network.get(ONELINE_URL, json=fixture("census_no_match.json"))
    match = census.lookup(make_query(line="nowhere at all 00000"))
    assert match.seats == ()


def test_layer_name_of_any_congress_is_found():
    data = fixture("census_119th_address.json")
    geographies = data["result"]["addressMatches"][0]["geographies"]
    geographies["120th Congressional Districts"] = geographies.pop("119th Congressional Districts")
    assert census.parse(data).seats == (Seat("CA", 12),)
    geographies["Congressional Districts (old)"] = geographies.pop("120th Congressional Districts")
    with pytest.raises(DistrictLookupError) as error:
        census.parse(data)
    assert error.value.permanent
    assert "congressional district layer" in str(error.value)


def test_water_only_geoid_is_skipped_and_nonsense_refused():
    data = fixture("census_119th_address.json")
    entries = data["result"]["addressMatches"][0]["geographies"]["119th Congressional Districts"]
    entries[0]["GEOID"] = "06ZZ"
    assert census.parse(data).seats == ()
    entries[0]["GEOID"] = "0677"
    with pytest.raises(DistrictLookupError, match="CA has no congressional district 77"):
        census.parse(data)


@pytest.mark.parametrize(
    ("response", "permanent"),
    [
        ({"body": requests.Timeout("slow")}, False),
        ({"body": requests.ConnectionError("down")}, False),
        ({"status": 500}, False),
        ({"status": 503}, False),
        ({"status": 429}, False),
        ({"status": 400, "json": {"errors": ["Street is required"]}}, True),
        ({"body": "<html>maintenance</html>"}, True),
        ({"json": ["not", "an", "object"]}, True),
        ({"json": {"nothing": "here"}}, True),
    ],
)
def test_failures_are_typed(no_network, response, permanent):
    no_network.get(ONELINE_URL, **response)
    with pytest.raises(DistrictLookupError) as error:
        census.lookup(make_query(line="1 Made Up Way, Oakland CA 94612"))
    assert error.value.permanent is permanent


def test_answers_are_cached_by_normalized_address(no_network):
    call = no_network.get(ADDRESS_URL, json=fixture("census_119th_address.json"))
    census.lookup(make_query(street="1 Made Up Way", city="Oakland", state="CA", zip_code="94612"))
    census.lookup(
        make_query(street=" 1  made up way ", city="OAKLAND", state="ca", zip_code="94612")
    )
    assert call.call_count == 1


def test_failures_are_not_cached(no_network):
    no_network.get(ONELINE_URL, status=503)
    no_network.get(ONELINE_URL, json=fixture("census_119th_address.json"))
    query = make_query(line="1 Made Up Way, Oakland CA 94612")
    with pytest.raises(DistrictLookupError):
        census.lookup(query)
    assert census.lookup(query).seats == (Seat("CA", 12),)
