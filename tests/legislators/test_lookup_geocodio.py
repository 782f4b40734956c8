import json

import pytest
import requests
from django.test import override_settings
from responses import matchers

from legislators.divisions import Seat
from legislators.lookup import DistrictLookupError, geocodio, make_query
from tests.conftest import shared_path

RECORDED = ("data", "geocodio", "geocodio_fields_cd_1109-n-highland-st-arlington-va.json")
KEY = "test-key-123"


@pytest.fixture
def api_key(settings):
    settings.GEOCODIO_API_KEY = KEY


def recorded():
    return json.loads(shared_path(*RECORDED).read_text())


def test_parses_the_recorded_response():
    match = geocodio.parse(recorded())
    assert match.seats == (Seat("VA", 8),)
    assert match.matched_address == "1109 N Highland St, Arlington, VA 22201"


def test_sends_the_query_with_fields_cd(no_network, api_key):
    no_network.get(
        geocodio.URL,
        json=recorded(),
        match=[
            matchers.query_param_matcher(
                {"q": "1109 N Highland St, Arlington VA", "fields": "cd", "api_key": KEY}
            )
        ],
    )
    match = geocodio.lookup(make_query(line="1109 N Highland St, Arlington VA"))
    assert match.seats == (Seat("VA", 8),)


def test_is_skipped_without_a_key_or_for_zips_and_points(settings):
    settings.GEOCODIO_API_KEY = ""
    assert geocodio.lookup(make_query(line="1109 N Highland St, Arlington VA")) is None
    settings.GEOCODIO_API_KEY = KEY
    assert geocodio.lookup(make_query(zip_code="22201")) is None
    assert geocodio.lookup(make_query(lat=38.9, lon=-77.1)) is None


def test_a_town_centroid_is_no_match():
    data = recorded()
    data["results"][0]["accuracy_type"] = "place"
    assert geocodio.parse(data).seats == ()


def test_dc_is_98_and_means_the_delegate():
    data = recorded()
    result = data["results"][0]
    result["address_components"]["state"] = "DC"
    result["fields"]["congressional_districts"] = [{"district_number": 98}]
    assert geocodio.parse(data).seats == (Seat("DC", 0),)


def test_two_districts_are_both_kept():
    data = recorded()
    districts = data["results"][0]["fields"]["congressional_districts"]
    districts.append({**districts[0], "district_number": 11, "proportion": 0.5})
    assert geocodio.parse(data).seats == (Seat("VA", 8), Seat("VA", 11))


def test_422_is_no_match(no_network, api_key):
    no_network.get(geocodio.URL, status=422, json={"error": "Could not geocode address."})
    assert geocodio.lookup(make_query(line="zzz qqq")).seats == ()


@pytest.mark.parametrize(
    ("response", "permanent"),
    [({"status": 403}, True), ({"status": 500}, False), ({"body": requests.Timeout()}, False)],
)
def test_failures_are_typed_and_never_leak_the_key(no_network, api_key, response, permanent):
    no_network.get(geocodio.URL, **response)
    with pytest.raises(DistrictLookupError) as error:
        geocodio.lookup(make_query(line="1109 N Highland St, Arlington VA"))
    assert error.value.permanent is permanent
    assert KEY not in str(error.value)


def test_connection_error_text_is_not_repeated(no_network, api_key):
    # requests puts the whole URL, key included, in this message.
    no_network.get(geocodio.URL, body=requests.ConnectionError(f"{geocodio.URL}?api_key={KEY}"))
    with pytest.raises(DistrictLookupError) as error:
        geocodio.lookup(make_query(line="1109 N Highland St, Arlington VA"))
    assert KEY not in str(error.value)


@override_settings(GEOCODIO_API_KEY=KEY)
def test_a_result_without_districts_is_an_error():
    data = recorded()
    data["results"][0]["fields"] = {}
    with pytest.raises(DistrictLookupError) as error:
        geocodio.parse(data)
    assert error.value.permanent
