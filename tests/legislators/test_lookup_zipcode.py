import pytest

from legislators.divisions import Seat
from legislators.lookup import DistrictLookupError, make_query, zipcode
from tests.factories import zip_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def table():
    zip_rows(
        ("94612", "CA", 12),
        ("94601", "CA", 12),
        ("94601", "CA", 13),
        ("89439", "NV", 2),
        ("89439", "CA", 1),
        ("20001", "DC", 0),
        ("82001", "WY", 0),
        ("05401", "VT", 0),
        ("05495", "VT", 0),
    )


def seats(**fields):
    return zipcode.lookup(make_query(**fields)).seats


def test_a_zip_in_one_district_decides_it(table):
    assert seats(zip_code="94612") == (Seat("CA", 12),)
    assert seats(zip_code="94612-3307") == (Seat("CA", 12),)
    assert seats(zip_code="20001") == (Seat("DC", 0),)


def test_a_zip_in_several_districts_keeps_them_all(table):
    assert seats(zip_code="94601") == (Seat("CA", 12), Seat("CA", 13))


def test_a_zip_across_a_state_line(table):
    assert seats(zip_code="89439") == (Seat("CA", 1), Seat("NV", 2))
    # The supporter's state narrows it.
    assert seats(zip_code="89439", street="1 Main St", state="NV") == (Seat("NV", 2),)


def test_a_zip_outside_the_given_state_is_no_match(table):
    match = zipcode.lookup(make_query(street="1 Main St", state="WY", zip_code="94612"))
    assert match.seats == ()
    assert match.message == "ZIP code 94612 is not in Wyoming. Check the state and ZIP code."


def test_island_areas_are_not_in_the_table_but_their_zips_decide(table):
    assert seats(zip_code="96910") == (Seat("GU", 0),)
    assert seats(zip_code="96799") == (Seat("AS", 0),)
    assert seats(zip_code="00802") == (Seat("VI", 0),)


def test_a_single_seat_state_decides_for_a_zip_that_can_be_its_own(table):
    # 05402 is a post-office-box ZIP: no one lives in it, so the table of
    # residential ZIPs lacks it, but it lies among Vermont's.
    assert seats(street="1 Main St", state="VT", zip_code="05402") == (Seat("VT", 0),)
    assert seats(street="1 Main St", city="Hagåtña", state="GU") == (Seat("GU", 0),)


@pytest.mark.parametrize("zip_code", ["00000", "99999", "05999", "82999"])
def test_a_zip_that_does_not_exist_is_refused_whatever_the_state(table, zip_code):
    match = zipcode.lookup(make_query(street="1 Main St", state="VT", zip_code=zip_code))
    assert match.seats == ()
    assert f"couldn't find ZIP code {zip_code}" in match.message


def test_an_unknown_zip_is_no_match(table):
    match = zipcode.lookup(make_query(zip_code="73301"))
    assert match.seats == ()
    assert "couldn't find ZIP code 73301" in match.message


def test_points_and_addresses_without_zip_are_not_handled(table):
    assert zipcode.lookup(make_query(lat=1, lon=1)) is None
    assert zipcode.lookup(make_query(street="1 Main St", city="Oakland", state="CA")) is None
    assert zipcode.lookup(make_query(line="1 Main St somewhere")) is None


def test_a_one_line_address_gives_its_zip_and_state(table):
    assert seats(line="1 Main St, Reno NV 89439") == (Seat("NV", 2),)
    assert seats(line="1 Main St, Oakland, CA 94612-1234") == (Seat("CA", 12),)


def test_an_empty_table_is_an_error_not_a_no_match():
    with pytest.raises(DistrictLookupError) as error:
        zipcode.lookup(make_query(zip_code="94612"))
    assert error.value.permanent
    assert "import_zip_districts" in str(error.value)
