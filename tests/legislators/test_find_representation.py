import json

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from legislators.divisions import Seat
from legislators.lookup import (
    InvalidQuery,
    Status,
    census,
    find_representation,
    legislators_for_districts,
    make_query,
)
from tests.factories import delegation, legislator, zip_rows
from tests.legislators.conftest import FIXTURES

ONELINE_URL = census.BASE_URL + "onelineaddress"
ADDRESS_URL = census.BASE_URL + "address"


def census_answers(mock, url, geoid=None, name="census_119th_address.json"):
    data = json.loads((FIXTURES / name).read_text())
    if geoid:
        data["result"]["addressMatches"][0]["geographies"]["119th Congressional Districts"][0][
            "GEOID"
        ] = geoid
    return mock.get(url, json=data)


def ids(members):
    return [member.bioguide_id for member in members]


@pytest.mark.django_db
class TestWithMadeUpMembers:
    def test_an_address_gets_two_senators_then_the_representative(self, no_network):
        senior, junior, rep = delegation("CA", 12)
        legislator("CA", 13)  # the neighbour is not a target
        census_answers(no_network, ADDRESS_URL)
        result = find_representation(
            street="1 Made Up Way", city="Oakland", state="CA", zip_code="94612"
        )
        assert result.status == Status.OK
        assert ids(result.legislators) == [senior.bioguide_id, junior.bioguide_id, rep.bioguide_id]
        assert result.districts == [Seat("CA", 12)]
        assert result.source == "census"
        assert result.matched_address == "1 MADE UP WAY, OAKLAND, CA, 94612"
        assert result.vacancies == []
        assert result.notes == []

    def test_out_of_office_members_are_never_returned(self, no_network):
        senior, junior, rep = delegation("CA", 12)
        legislator("CA", 12, in_office=False)
        legislator("CA", in_office=False)
        census_answers(no_network, ONELINE_URL)
        result = find_representation(line="1 Made Up Way, Oakland CA 94612")
        assert ids(result.legislators) == ids([senior, junior, rep])

    def test_a_vacant_house_seat_is_flagged_not_dropped(self, no_network):
        senators = delegation("CA", 12)[:2]
        legislator("CA", 14, in_office=False)  # the member who left
        census_answers(no_network, ONELINE_URL, geoid="0614")
        result = find_representation(line="1 Made Up Way, San Mateo CA 94401")
        assert result.status == Status.OK
        assert ids(result.legislators) == ids(senators)
        assert result.vacant
        assert [str(v) for v in result.vacancies] == [
            "The House seat for California's 14th district is vacant."
        ]
        assert "vacant" in result.message
        assert result.to_dict()["vacancies"][0]["chamber"] == "house"

    def test_a_vacant_senate_seat_is_flagged(self, no_network):
        legislator("CA", state_rank="senior")
        legislator("CA", 12)
        census_answers(no_network, ONELINE_URL)
        result = find_representation(line="1 Made Up Way, Oakland CA 94612")
        assert len(result.legislators) == 2
        assert [v.chamber for v in result.vacancies] == ["senate"]

    def test_census_down_falls_back_to_the_zip_and_says_so(self, no_network):
        members = delegation("CA", 12)
        zip_rows(("94612", "CA", 12))
        no_network.get(ADDRESS_URL, status=503)
        result = find_representation(street="1 Made Up Way", city="Oakland", zip_code="94612")
        assert result.status == Status.OK
        assert result.source == "zipcode"
        assert ids(result.legislators) == ids(members)
        assert result.notes == [
            "The U.S. Census Bureau's address service is not answering, so we used your ZIP code."
        ]

    def test_census_down_on_a_split_zip_names_the_service_not_the_address(self, no_network):
        delegation("CA", 12)
        legislator("CA", 13)
        zip_rows(("94601", "CA", 12), ("94601", "CA", 13))
        no_network.get(ADDRESS_URL, status=503)
        result = find_representation(street="1 Made Up Way", city="Oakland", zip_code="94601")
        assert result.status == Status.AMBIGUOUS
        assert result.message.startswith(
            "The U.S. Census Bureau's address service is not answering, so we couldn't check "
            "your street address, and ZIP code 94601 is in two congressional districts."
        )
        assert "couldn't match your street address" not in result.message

    def test_no_internet_falls_back_too(self):
        # The autouse no_network mock refuses every unlisted URL.
        members = delegation("CA", 12)
        zip_rows(("94612", "CA", 12))
        result = find_representation(line="1 Made Up Way, Oakland CA 94612")
        assert ids(result.legislators) == ids(members)
        assert "not answering" in result.notes[0]

    def test_census_down_and_no_zip_is_an_error_never_an_empty_ok(self):
        delegation("CA", 12)
        result = find_representation(street="1 Made Up Way", city="Oakland", state="CA")
        assert result.status == Status.ERROR
        assert result.legislators == []
        assert "Try again" in result.message
        assert result.notes == ["The U.S. Census Bureau's address service is not answering."]

    def test_an_address_that_matches_nothing(self, no_network):
        delegation("CA", 12)
        zip_rows(("94612", "CA", 12))
        census_answers(no_network, ONELINE_URL, name="census_no_match.json")
        result = find_representation(line="999 Nowhere Blvd, Atlantis")
        assert result.status == Status.NOT_FOUND
        assert result.message == "We couldn't find that address. Check the street and ZIP code."
        assert result.legislators == []

    def test_an_unmatched_street_uses_a_single_district_zip(self, no_network):
        members = delegation("CA", 12)
        zip_rows(("94612", "CA", 12))
        census_answers(no_network, ONELINE_URL, name="census_no_match.json")
        result = find_representation(line="999 Nowhere Blvd, Oakland CA 94612")
        assert ids(result.legislators) == ids(members)
        assert result.notes == [
            "The U.S. Census Bureau's address service couldn't match your street address, "
            "so we used your ZIP code."
        ]

    def test_a_zip_in_several_districts_is_ambiguous_with_candidates(self):
        senior, junior, rep12 = delegation("CA", 12)
        rep13 = legislator("CA", 13)
        zip_rows(("94601", "CA", 12), ("94601", "CA", 13), ("94601", "CA", 14))
        result = find_representation(zip_code="94601")
        assert result.status == Status.AMBIGUOUS
        assert result.legislators == []  # never guessed
        assert result.message == (
            "Your ZIP code 94601 is in three congressional districts. Enter your street "
            "address so we can find your representative."
        )
        assert [c.seat for c in result.candidates] == [
            Seat("CA", 12),
            Seat("CA", 13),
            Seat("CA", 14),
        ]
        assert [c.representative for c in result.candidates] == [rep12, rep13, None]
        assert [c.vacant for c in result.candidates] == [False, False, True]
        assert ids(result.candidate_senators) == ids([senior, junior])

    def test_a_zip_across_a_state_line_is_ambiguous_across_states(self):
        delegation("NV", 2)
        delegation("CA", 1)
        zip_rows(("89439", "NV", 2), ("89439", "CA", 1))
        result = find_representation(zip_code="89439")
        assert result.status == Status.AMBIGUOUS
        assert "crosses a state line (California and Nevada)" in result.message
        assert {c.seat.state for c in result.candidates} == {"CA", "NV"}
        assert result.legislators == []

    def test_zip_plus_four(self):
        members = delegation("VT", 0)
        zip_rows(("05401", "VT", 0))
        result = find_representation(zip_code="05401-4459")
        assert ids(result.legislators) == ids(members)

    def test_no_roster_is_an_error(self):
        zip_rows(("05401", "VT", 0))
        result = find_representation(zip_code="05401")
        assert result.status == Status.ERROR
        assert "list of members" in result.message

    def test_a_point_uses_the_maps_when_census_is_down(self):
        members = delegation("WY", 0)
        result = find_representation(lat="41.14", lon="-104.82")
        assert ids(result.legislators) == ids(members)
        assert result.approximate
        assert result.source == "shapes"
        assert any("approximate, from district maps" in note for note in result.notes)

    def test_legislators_for_districts(self):
        ca = delegation("CA", 12)
        dc = legislator("DC", 0)
        legislator("CA", 13)
        legislator("CA", 12, in_office=False)
        found = legislators_for_districts([Seat("CA", 12), "ocd-division/country:us/district:dc"])
        assert ids(found) == ids([*ca[:2], ca[2], dc])
        assert legislators_for_districts([]) == []

    def test_the_order_of_backends_is_a_setting(self, settings, no_network):
        delegation("CA", 12)
        zip_rows(("94612", "CA", 12))
        settings.DISTRICT_LOOKUP_BACKENDS = ["zipcode"]
        call = census_answers(no_network, ADDRESS_URL)
        result = find_representation(street="1 Made Up Way", zip_code="94612")
        assert result.source == "zipcode"
        assert call.call_count == 0


BAD_ZIP = "Enter a 5-digit ZIP code, like 05401 (ZIP+4 like 05401-1234 works too)."
NO_INPUT = "Enter your ZIP code or your street address."
BAD_LAT = "Latitude must be a number between -90 and 90."
BAD_LON = "Longitude must be a number between -180 and 180."


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({}, {"zip": NO_INPUT}),
        ({"zip_code": "ABCDE"}, {"zip": BAD_ZIP}),
        ({"zip_code": "1234"}, {"zip": BAD_ZIP}),
        ({"zip_code": "   "}, {"zip": NO_INPUT}),
        (
            {"street": "!!!", "zip_code": "94612"},
            {"street": "Enter your street address, like 123 Main St."},
        ),
        ({"street": "1 Main St"}, {"zip": "Enter your ZIP code, or your city and state."}),
        (
            {"street": "1 Main St", "state": "Narnia", "zip_code": "1"},
            {"state": "Choose a state or territory, like CA or Puerto Rico.", "zip": BAD_ZIP},
        ),
        (
            {"street": "x" * 201, "zip_code": "94612"},
            {"street": "That is too long (at most 200 characters)."},
        ),
        ({"lat": "91", "lon": "0"}, {"lat": BAD_LAT}),
        ({"lat": "nan", "lon": "abc"}, {"lat": BAD_LAT, "lon": BAD_LON}),
        ({"lat": "38.9"}, {"lon": BAD_LON}),
        (
            {"line": "@@@@"},
            {"address": "Enter your address, like 123 Main St, Springfield, IL 62701."},
        ),
    ],
)
def test_malformed_input_names_each_field(fields, errors):
    with pytest.raises(InvalidQuery) as error:
        make_query(**fields)
    assert error.value.errors == errors


def test_input_is_normalized():
    query = make_query(
        street=" 1  Main\tSt ", city="Burlington", state="vermont", zip_code="05401-1234"
    )
    assert (query.street, query.state, query.zip5, query.kind) == (
        "1 Main St",
        "VT",
        "05401",
        "address",
    )
    assert make_query(line="1 Main St, Burlington, VT 05401").zip5 == "05401"
    assert make_query(line="1 Main St, Burlington, VT 05401").state == "VT"


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    street=st.text(max_size=50),
    state=st.text(max_size=20),
    zip_code=st.text(max_size=12),
    lat=st.one_of(st.none(), st.text(max_size=10)),
)
def test_any_input_is_a_query_or_an_invalid_query(street, state, zip_code, lat):
    try:
        query = make_query(street=street, state=state, zip_code=zip_code, lat=lat)
    except InvalidQuery as error:
        assert error.errors
    else:
        assert query.kind in ("point", "address", "zip")


@pytest.mark.django_db
class TestWithTheRealRoster:
    pytestmark = pytest.mark.usefixtures("real_data")

    @pytest.mark.parametrize("state", ["AK", "DE", "ND", "SD", "VT", "WY"])
    def test_at_large_states(self, state, no_network):
        census_answers(
            no_network,
            ONELINE_URL,
            geoid={
                "AK": "0200",
                "DE": "1000",
                "ND": "3800",
                "SD": "4600",
                "VT": "5000",
                "WY": "5600",
            }[state],
        )
        result = find_representation(line=f"1 Main St, Capital City {state}")
        assert result.status == Status.OK
        assert [m.title for m in result.legislators] == ["Senator", "Senator", "Representative"]
        assert {m.state for m in result.legislators} == {state}
        assert result.legislators[2].district == 0
        assert result.districts[0].ocd_id == f"ocd-division/country:us/state:{state.lower()}"

    def test_dc_gets_only_the_delegate(self, no_network):
        census_answers(no_network, ONELINE_URL, geoid="1198")
        result = find_representation(line="1 First St NE, Washington DC 20002")
        assert ids(result.legislators) == ["N000147"]
        assert result.legislators[0].title == "Delegate"
        assert result.vacancies == []  # no senators is not a vacancy
        assert "no senators" in result.notes[0]

    def test_puerto_rico_gets_the_resident_commissioner(self):
        result = find_representation(zip_code="00901")
        assert ids(result.legislators) == ["H001103"]
        assert result.legislators[0].salutation == "Resident Commissioner Hernández Rivera"

    @pytest.mark.parametrize(
        ("zip_code", "state"), [("96910", "GU"), ("96799", "AS"), ("96950", "MP"), ("00802", "VI")]
    )
    def test_island_areas_get_their_delegate_and_no_senators(self, zip_code, state):
        result = find_representation(zip_code=zip_code)
        assert result.status == Status.OK
        assert [(m.state, m.title) for m in result.legislators] == [(state, "Delegate")]

    def test_guam_address_when_census_knows_nothing(self, no_network):
        census_answers(no_network, ADDRESS_URL, name="census_no_match.json")
        result = find_representation(street="1 Marine Corps Dr", city="Hagatna", state="GU")
        assert [m.title for m in result.legislators] == ["Delegate"]
        assert result.legislators[0].state == "GU"

    def test_ca_14_is_vacant_in_the_data(self, no_network):
        census_answers(no_network, ONELINE_URL, geoid="0614")
        result = find_representation(line="1 Main St, San Mateo CA")
        assert [m.chamber for m in result.legislators] == ["senate", "senate"]
        assert result.vacant
        assert result.vacancies[0].seat == Seat("CA", 14)

    def test_beverly_hills_zip_is_ambiguous(self):
        result = find_representation(zip_code="90210")
        assert result.status == Status.AMBIGUOUS
        assert result.message.startswith("Your ZIP code 90210 is in three congressional districts.")
        assert [c.seat.number for c in result.candidates] == [30, 32, 36]
        assert all(c.representative for c in result.candidates)

    @pytest.mark.django_db
    def test_beverly_hills_on_a_senators_only_campaign_previews_both_senators(self):
        from campaigns.drafting.preview import sample_preview
        from campaigns.models import Campaign

        campaign = Campaign.objects.create(
            slug="senators-only",
            title="Senators only",
            targets=Campaign.Targets.SENATE,
            letter_subject="Fund shelter",
            letter_body="Dear {legislator_salutation},\n\nPlease fund shelter.\n\n{full_name}",
        )
        preview = sample_preview(campaign, "90210")
        assert preview.message == ""
        assert sorted(member.chamber for member in preview.members) == ["senate", "senate"]
        assert [recipient.state for recipient, _ in preview.letters] == ["CA", "CA"]

    def test_burlington_vermont(self):
        result = find_representation(zip_code="05401")
        assert [m.bioguide_id for m in result.legislators] == ["S000033", "W000800", "B001318"]


@pytest.mark.django_db
def test_without_an_address_service_a_split_zip_never_blames_the_street(settings):
    settings.DISTRICT_LOOKUP_BACKENDS = ["zipcode"]
    delegation("CA", 12)
    legislator("CA", 13)
    zip_rows(("94601", "CA", 12), ("94601", "CA", 13))
    result = find_representation(street="1 Made Up Way", city="Oakland", zip_code="94601")
    assert result.status == Status.AMBIGUOUS
    assert result.message == (
        "Your ZIP code 94601 is in two congressional districts. Choose yours below."
    )
