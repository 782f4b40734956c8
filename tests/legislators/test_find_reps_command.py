import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from legislators.lookup import census
from tests.factories import delegation, legislator, zip_rows
from tests.legislators.conftest import FIXTURES

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("find_reps", *args, stdout=out)
    return out.getvalue()


def test_zip_as_json():
    senior, junior, rep = delegation("VT", 0)
    zip_rows(("05401", "VT", 0))
    data = json.loads(run("--zip", "05401", "--json"))
    assert data["status"] == "ok"
    assert data["source"] == "zipcode"
    assert data["districts"][0]["ocd_id"] == "ocd-division/country:us/state:vt"
    assert [m["bioguide_id"] for m in data["legislators"]] == [
        senior.bioguide_id,
        junior.bioguide_id,
        rep.bioguide_id,
    ]
    assert set(data["legislators"][2]) >= {
        "bioguide_id",
        "name",
        "chamber",
        "state",
        "district",
        "party",
        "phone",
    }
    assert data["legislators"][2]["district"] == 0
    assert data["legislators"][0]["district"] is None


def test_address_in_human_form(no_network):
    delegation("CA", 12)
    no_network.get(
        census.BASE_URL + "onelineaddress",
        json=json.loads((FIXTURES / "census_119th_address.json").read_text()),
    )
    output = run("1 Made Up Way, Oakland CA 94612")
    assert output.startswith("[ok] Here are your members of Congress.")
    assert "Matched: 1 MADE UP WAY, OAKLAND, CA, 94612" in output
    assert "District: CA-12 (from census)" in output
    assert "Representative Test Member" in output
    assert "(I-CA-12), 202-555-0100" in output


def test_ambiguous_lists_candidates():
    delegation("CA", 12)
    legislator("CA", 13, last_name="Neighbour")
    zip_rows(("94601", "CA", 12), ("94601", "CA", 13))
    output = run("--zip", "94601")
    assert output.startswith("[ambiguous] Your ZIP code 94601 is in two congressional districts.")
    assert "CA-13: California's 13th district" in output
    data = json.loads(run("--zip", "94601", "--json"))
    assert data["status"] == "ambiguous"
    assert data["legislators"] == []
    assert [c["district"]["label"] for c in data["candidates"]] == ["CA-12", "CA-13"]
    assert data["candidates"][1]["legislators"][-1]["name"].endswith("Neighbour")


def test_point():
    delegation("WY", 0)
    data = json.loads(run("--lat", "41.14", "--lon", "-104.82", "--json"))
    assert data["status"] == "ok"
    assert data["approximate"] is True
    assert data["source"] == "shapes"


def test_not_found_and_error_statuses():
    zip_rows(("05401", "VT", 0))
    assert json.loads(run("--zip", "73301", "--json"))["status"] == "not_found"
    assert json.loads(run("1 Main St Somewhere", "--json"))["status"] == "error"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--zip", "ABCDE"], "Enter a 5-digit ZIP code"),
        ([], "Enter your ZIP code or your street address."),
        (["--lat", "200", "--lon", "0"], "Latitude must be a number between -90 and 90."),
    ],
)
def test_bad_input_is_a_command_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
