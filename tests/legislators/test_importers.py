import json
import shutil
from datetime import date

import pytest

from legislators.importers import SourceError, read_legislators, read_zip_districts
from tests.conftest import shared_path
from tests.legislators.conftest import FIXTURES


def by_id(roster):
    return {row["bioguide_id"]: row for row in roster.rows}


def test_reads_the_made_up_yaml_folder_with_extras():
    roster = read_legislators(FIXTURES / "legislators-current.yaml")
    assert roster.files == [
        "legislators-current.yaml",
        "legislators-social-media.yaml",
        "legislators-district-offices.yaml",
    ]
    rows = by_id(roster)
    assert list(rows) == ["X000001", "Z000002", "R000003", "N000004", "D000005"]
    senator = rows["X000001"]
    # The last term is the current one: a former rep now in the Senate.
    assert senator["chamber"] == "senate"
    assert senator["district"] is None
    assert (senator["senate_class"], senator["state_rank"]) == (1, "senior")
    assert senator["contact_form_url"] == "https://example.senate.gov/contact"
    assert senator["term_start"] == date(2025, 1, 3)
    assert senator["twitter"] == "SenExample"
    assert rows["Z000002"]["nickname"] == "Zeb"
    assert rows["R000003"]["offices"][0]["office_id"] == "R000003-oakland"
    assert rows["R000003"]["offices"][0]["zip_code"] == "94612"
    assert rows["D000005"]["district"] == 0


def test_missing_optional_fields_become_blank():
    newcomer = by_id(read_legislators(FIXTURES / "legislators-current.yaml"))["N000004"]
    assert newcomer["official_full_name"] == ""
    assert newcomer["phone"] == ""
    assert newcomer["website"] == ""
    assert newcomer["offices"] == []
    assert newcomer["twitter"] == ""


def test_a_folder_without_extras_still_reads(tmp_path):
    shutil.copy(FIXTURES / "legislators-current.yaml", tmp_path)
    roster = read_legislators(tmp_path)
    assert roster.files == ["legislators-current.yaml"]
    assert len(roster.rows) == 5
    assert "offices" not in roster.rows[0]
    assert "twitter" not in roster.rows[0]


def write_roster(tmp_path, members):
    path = tmp_path / "legislators-current.json"
    path.write_text(json.dumps(members))
    return path


def member(**term):
    values = {"type": "rep", "state": "CA", "district": 12, "start": "2025-01-03"}
    values.update(term)
    return {"id": {"bioguide": "A000001"}, "name": {"first": "A", "last": "B"}, "terms": [values]}


@pytest.mark.parametrize(
    ("record", "complaint"),
    [
        (member(state="ZZ"), "unknown state 'ZZ'"),
        (member(district=99), "CA has no congressional district 99"),
        (member(district="at-large"), "bad district"),
        (member(type="prez"), "neither sen nor rep"),
        (member(type="sen", state="DC"), "DC has no senators"),
        (member(start="yesterday"), "is not a date"),
        ({"id": {}, "name": {"first": "A", "last": "B"}, "terms": []}, "id.bioguide"),
        ({"id": {"bioguide": "A000001"}, "name": {"first": "A"}, "terms": []}, "name.last"),
        ({"id": {"bioguide": "A000001"}, "name": {"first": "A", "last": "B"}}, "no terms"),
    ],
)
def test_a_bad_record_is_refused_naming_file_and_record(tmp_path, record, complaint):
    good = member()
    good["id"]["bioguide"] = "G000001"
    good["terms"][0]["district"] = 1
    path = write_roster(tmp_path, [good, record])
    with pytest.raises(SourceError) as error:
        read_legislators(path)
    assert "legislators-current.json, record 2" in str(error.value)
    assert complaint in str(error.value)


def test_two_members_in_one_seat_are_refused(tmp_path):
    first, second = member(), member()
    second["id"]["bioguide"] = "A000002"
    with pytest.raises(SourceError, match="A000001 and A000002 both hold CA-12"):
        read_legislators(write_roster(tmp_path, [first, second]))


def test_three_senators_are_refused(tmp_path):
    senators = []
    for n in range(3):
        record = member(type="sen")
        record["id"]["bioguide"] = f"S00000{n}"
        senators.append(record)
    with pytest.raises(SourceError, match="CA has more than two senators"):
        read_legislators(write_roster(tmp_path, senators))


def test_unparseable_file(tmp_path):
    path = tmp_path / "legislators-current.json"
    path.write_text("[{not json")
    with pytest.raises(SourceError, match=r"legislators-current\.json: cannot be parsed"):
        read_legislators(path)


def test_missing_source(tmp_path):
    with pytest.raises(SourceError, match=r"no legislators-current\.json or \.yaml"):
        read_legislators(tmp_path)
    with pytest.raises(SourceError, match="no such file"):
        read_legislators(tmp_path / "nope.json")


def test_url_source_reads_siblings_and_tolerates_their_absence(no_network):
    base = "https://data.example/cl"
    body = json.dumps([member()])
    no_network.get(f"{base}/legislators-current.json", body=body)
    no_network.get(f"{base}/legislators-social-media.json", status=404)
    no_network.get(
        f"{base}/legislators-district-offices.json",
        json=[{"id": {"bioguide": "A000001"}, "offices": [{"id": "A000001-x", "city": "Y"}]}],
    )
    roster = read_legislators(base + "/")
    assert roster.files == [
        f"{base}/legislators-current.json",
        f"{base}/legislators-district-offices.json",
    ]
    assert roster.rows[0]["offices"][0]["city"] == "Y"


@pytest.mark.parametrize(
    ("status", "permanent"), [(404, True), (403, True), (500, False), (503, False)]
)
def test_url_errors_are_typed(no_network, status, permanent):
    url = "https://data.example/legislators-current.json"
    no_network.get(url, status=status)
    with pytest.raises(SourceError) as error:
        read_legislators(url)
    assert error.value.permanent is permanent
    assert f"HTTP {status}" in str(error.value)


def test_url_timeout_is_transient(no_network):
    import requests

    url = "https://data.example/legislators-current.json"
    no_network.get(url, body=requests.Timeout("slow"))
    with pytest.raises(SourceError) as error:
        read_legislators(url)
    assert error.value.permanent is False


def test_reads_the_zip_table():
    rows = read_zip_districts(FIXTURES / "zccd.csv")
    assert rows[0] == ("94612", "CA", 12)
    assert ("05401", "VT", 0) in rows  # leading zero kept
    assert len(rows) == 8


@pytest.mark.parametrize(
    ("line", "complaint"),
    [
        ("06,CA,9461,12", "zcta '9461' is not five digits"),
        ("06,CA,94612,99", "CA has no congressional district 99"),
        ("06,ZZ,94612,1", "'ZZ' is not a state"),
        ("06,NV,89439,2", "state_fips 06 does not match NV"),
        ("06,CA,94612,twelve", "invalid literal"),
    ],
)
def test_a_bad_zip_row_is_refused_naming_the_line(tmp_path, line, complaint):
    path = tmp_path / "zccd.csv"
    path.write_text(f"state_fips,state_abbr,zcta,cd\n06,CA,94601,12\n{line}\n")
    with pytest.raises(SourceError) as error:
        read_zip_districts(path)
    assert "zccd.csv, line 3" in str(error.value)
    assert complaint in str(error.value)


def test_a_zip_file_without_the_columns_is_refused(tmp_path):
    path = tmp_path / "zccd.csv"
    path.write_text("zip,district\n94612,12\n")
    with pytest.raises(SourceError, match="missing columns cd, state_abbr, zcta"):
        read_zip_districts(path)


def test_the_real_yaml_and_json_agree():
    folder = shared_path("data", "congress-legislators")
    from_yaml = by_id(read_legislators(folder / "legislators-current.yaml"))
    from_json = by_id(read_legislators(folder / "json" / "legislators-current.json"))
    assert from_yaml == from_json
    assert len(from_json) == 537
    assert sum(row["chamber"] == "senate" for row in from_json.values()) == 100
    gallagher = from_json["G000607"]  # sworn in 2026-06-10, no phone, no official name
    assert (gallagher["state"], gallagher["district"], gallagher["phone"]) == ("CA", 1, "")
    assert from_json["N000147"]["district"] == 0  # the DC delegate


def test_the_real_zip_table():
    rows = read_zip_districts(shared_path("data", "zip-districts", "zccd.csv"))
    assert len(rows) == 42033
    assert {(s, d) for z, s, d in rows if z == "90210"} == {("CA", 30), ("CA", 32), ("CA", 36)}
    assert ("00601", "PR", 0) in rows
