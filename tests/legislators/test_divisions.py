import csv
import json

import pytest

from legislators.divisions import (
    APPORTIONMENT,
    STATES,
    Seat,
    all_seats,
    ordinal,
    seat_from_geoid,
    seat_from_ocd_id,
    territory_for_zip,
)
from tests.conftest import shared_path


@pytest.mark.parametrize(
    ("geoid", "seat"),
    [
        ("0612", Seat("CA", 12)),
        ("0200", Seat("AK", 0)),  # at-large: Census 00, congress-legislators 0
        ("5600", Seat("WY", 0)),
        ("1198", Seat("DC", 0)),  # delegate: Census 98
        ("7298", Seat("PR", 0)),  # resident commissioner: Census 98
        ("5108", Seat("VA", 8)),
    ],
)
def test_census_geoids_map_onto_seats(geoid, seat):
    assert seat_from_geoid(geoid) == seat


@pytest.mark.parametrize("geoid", ["06ZZ", "0699", "0698", "9901", "612", "", None, "0200x"])
def test_geoids_that_are_no_district_are_refused(geoid):
    with pytest.raises(ValueError):
        seat_from_geoid(geoid)


@pytest.mark.parametrize(
    ("seat", "ocd_id", "label"),
    [
        (Seat("CA", 12), "ocd-division/country:us/state:ca/cd:12", "CA-12"),
        (Seat("AK", 0), "ocd-division/country:us/state:ak", "AK at-large"),
        (Seat("DC", 0), "ocd-division/country:us/district:dc", "DC"),
        (Seat("PR", 0), "ocd-division/country:us/territory:pr", "PR"),
        (Seat("GU", 0), "ocd-division/country:us/territory:gu", "GU"),
    ],
)
def test_ocd_ids_and_labels(seat, ocd_id, label):
    assert seat.ocd_id == ocd_id
    assert seat.label == label
    assert seat_from_ocd_id(ocd_id) == seat


@pytest.mark.parametrize(
    ("state", "number"), [("CA", 0), ("CA", 53), ("AK", 1), ("DC", 1), ("XX", 1)]
)
def test_seats_that_do_not_exist_are_refused(state, number):
    with pytest.raises(ValueError):
        Seat(state, number)


def test_seat_names():
    assert Seat("CA", 12).name == "California's 12th district"
    assert Seat("NY", 11).name == "New York's 11th district"
    assert Seat("VT", 0).name == "Vermont at-large district"
    assert Seat("DC", 0).name == "District of Columbia"
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 52)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "52nd"
    ]  # fmt: skip


def test_house_has_435_voting_seats_and_six_delegates():
    assert sum(APPORTIONMENT.values()) == 435
    assert len(list(all_seats())) == 441


def test_territory_zips():
    assert territory_for_zip("96910") == "GU"
    assert territory_for_zip("96950") == "MP"
    assert territory_for_zip("96799") == "AS"
    assert territory_for_zip("00802") == "VI"
    assert territory_for_zip("00901") is None  # PR is in the ZIP table
    assert territory_for_zip("96801") is None  # Honolulu


def test_seats_and_fips_match_the_zip_table():
    with shared_path("data", "zip-districts", "zccd.csv").open() as file:
        rows = list(csv.DictReader(file))
    assert {(r["state_fips"], r["state_abbr"]) for r in rows} <= {
        (fips, code) for code, (fips, _name) in STATES.items()
    }
    in_table = {Seat(r["state_abbr"], int(r["cd"])) for r in rows}
    assert in_table == {seat for seat in all_seats() if seat.state not in {"GU", "VI", "AS", "MP"}}


def test_seats_match_the_district_shapes():
    path = shared_path("data", "districts", "cd119_20m.geojson")
    features = json.loads(path.read_text())["features"]
    shapes = {seat_from_geoid(f["properties"]["GEOID"]) for f in features}
    assert shapes == {seat for seat in all_seats() if seat.state not in {"GU", "VI", "AS", "MP"}}
