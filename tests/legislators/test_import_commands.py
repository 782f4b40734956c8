import json
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from legislators.models import DistrictOffice, Legislator, ZipDistrict
from tests.conftest import shared_path
from tests.legislators.conftest import FIXTURES

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_imports_the_real_roster_and_is_idempotent():
    folder = shared_path("data", "congress-legislators")
    output = run("import_legislators", "--source", str(folder))
    assert "537 created, 0 updated, 0 unchanged, 0 departed" in output
    assert "537/537" in output  # the progress bar's last state
    assert Legislator.objects.filter(in_office=True).count() == 537
    assert DistrictOffice.objects.count() > 1000
    padilla = Legislator.objects.get(bioguide_id="P000145")
    assert (padilla.chamber, padilla.state, padilla.salutation) == (
        "senate",
        "CA",
        "Senator Padilla",
    )
    assert padilla.twitter  # from the social media file
    gallagher = Legislator.objects.get(bioguide_id="G000607")
    assert (gallagher.display_name, gallagher.phone) == ("James Gallagher", "")

    again = run("import_legislators", "--source", str(folder / "legislators-current.yaml"))
    assert "0 created, 0 updated, 537 unchanged, 0 departed" in again


def test_updates_and_departures(tmp_path):
    run("import_legislators", "--source", str(FIXTURES / "legislators-current.yaml"))
    roster = (FIXTURES / "legislators-current.yaml").read_text()
    # Rosa Placeholder leaves; Zeb Sample gets a new phone number.
    kept = (
        roster.split("- id:\n    bioguide: R000003")[0]
        + "- id:\n    bioguide: N000004"
        + (roster.split("- id:\n    bioguide: N000004")[1])
    )
    (tmp_path / "legislators-current.yaml").write_text(kept.replace("202-224-0002", "202-224-9999"))
    output = run("import_legislators", "--source", str(tmp_path))
    assert "0 created, 1 updated, 3 unchanged, 1 departed" in output
    rosa = Legislator.objects.get(bioguide_id="R000003")
    assert rosa.in_office is False  # kept for letters already sent
    assert rosa.offices.count() == 1
    assert Legislator.objects.get(bioguide_id="Z000002").phone == "202-224-9999"
    # That folder had no social media file: the accounts stored earlier stay.
    assert Legislator.objects.get(bioguide_id="X000001").twitter == "SenExample"

    # Back in the file, back in office.
    run("import_legislators", "--source", str(FIXTURES / "legislators-current.yaml"))
    rosa.refresh_from_db()
    assert rosa.in_office is True


def test_a_mass_departure_is_refused_unless_allowed(tmp_path):
    run("import_legislators", "--source", str(FIXTURES / "legislators-current.yaml"))
    (tmp_path / "legislators-current.json").write_text(
        json.dumps(
            [
                {
                    "id": {"bioguide": "B000009"},
                    "name": {"first": "Brand", "last": "New"},
                    "terms": [{"type": "rep", "state": "VT", "district": 0}],
                }
            ]
        )
    )
    with pytest.raises(CommandError, match="would mark 5 of 5 members as out of office"):
        run("import_legislators", "--source", str(tmp_path))
    assert Legislator.objects.filter(in_office=True).count() == 5
    output = run("import_legislators", "--source", str(tmp_path), "--allow-mass-departure")
    assert "1 created, 0 updated, 0 unchanged, 5 departed" in output


def test_a_bad_file_changes_nothing(tmp_path):
    run("import_legislators", "--source", str(FIXTURES / "legislators-current.yaml"))
    before = list(Legislator.objects.values_list("bioguide_id", "phone", "in_office"))
    roster = (FIXTURES / "legislators-current.yaml").read_text()
    (tmp_path / "legislators-current.yaml").write_text(
        roster.replace("202-224-0002", "202-000-0000").replace("district: 13", "district: 99")
    )
    with pytest.raises(CommandError) as error:
        run("import_legislators", "--source", str(tmp_path))
    assert "legislators-current.yaml, record 4 (N000004)" in str(error.value)
    assert "CA has no congressional district 99" in str(error.value)
    assert list(Legislator.objects.values_list("bioguide_id", "phone", "in_office")) == before


def test_imports_from_a_local_http_server(serve, tmp_path):
    folder = shared_path("data", "congress-legislators", "json")
    base = serve(folder)
    output = run("import_legislators", "--source", f"{base}/legislators-current.json")
    assert "537 created" in output
    assert "legislators-district-offices.json" in output
    assert DistrictOffice.objects.exists()

    missing = serve(tmp_path)
    with pytest.raises(CommandError, match="HTTP 404"):
        run("import_legislators", "--source", f"{missing}/legislators-current.json")


def test_imports_the_zip_table_and_replaces_it(serve, tmp_path):
    output = run("import_zip_districts", "--source", str(FIXTURES / "zccd.csv"))
    assert "8 ZIP-district pairs loaded" in output
    zccd = shared_path("data", "zip-districts", "zccd.csv")
    shutil.copy(zccd, tmp_path / "zccd.csv")  # served from a temporary folder, never committed
    output = run("import_zip_districts", "--source", f"{serve(tmp_path)}/zccd.csv")
    assert "42033 ZIP-district pairs loaded" in output
    assert ZipDistrict.objects.count() == 42033
    assert not ZipDistrict.objects.filter(zcta="89439", state="CA", district=1).exists()
    assert sorted(ZipDistrict.objects.filter(zcta="90210").values_list("district", flat=True)) == [
        30,
        32,
        36,
    ]


def test_a_bad_zip_file_keeps_the_old_table(tmp_path):
    run("import_zip_districts", "--source", str(FIXTURES / "zccd.csv"))
    (tmp_path / "zccd.csv").write_text("state_fips,state_abbr,zcta,cd\n06,CA,ABCDE,1\n")
    with pytest.raises(CommandError, match="zcta 'ABCDE' is not five digits"):
        run("import_zip_districts", "--source", str(tmp_path / "zccd.csv"))
    assert ZipDistrict.objects.count() == 8
