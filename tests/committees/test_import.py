import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from committees.importer import read_committees
from committees.models import Committee, Membership
from legislators.importers import SourceError
from tests.conftest import shared_path
from tests.legislators.conftest import FIXTURES as ROSTER

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def memberships():
    return set(Membership.objects.values_list("committee__code", "legislator__bioguide_id", "side"))


def test_reads_committees_and_subcommittees():
    data = read_committees(FIXTURES)
    assert [(row["code"], row["parent_code"]) for row in data.committees] == [
        ("SSEX", None),
        ("SSEX01", "SSEX"),
        ("HSSM", None),
        ("JSPH", None),
    ]
    assert {"code": "SSEX01", "bioguide_id": "Z000002", "side": "minority", "rank": 1,
            "title": ""} in data.memberships  # fmt: skip


def test_imports_and_is_idempotent():
    run("import_legislators", "--source", str(ROSTER / "legislators-current.yaml"))
    output = run("import_committees", "--source", str(FIXTURES))
    assert "Committees: 4 created, 0 updated, 0 ended" in output
    assert "memberships: 4 added, 0 changed, 0 removed; 1 not in the roster" in output
    sub = Committee.objects.get(code="SSEX01")
    assert sub.full_name == "Senate Committee on Example Affairs: Subcommittee on Lighthouses"
    assert sub.chamber == "senate"
    assert memberships() == {
        ("SSEX", "X000001", "majority"),
        ("SSEX01", "Z000002", "minority"),
        ("HSSM", "R000003", "majority"),
        ("HSSM", "D000005", "minority"),
    }
    again = run("import_committees", "--source", str(FIXTURES))
    assert "Committees: 0 created, 0 updated, 0 ended; memberships: 0 added, 0 changed" in again


def test_changes_and_ended_committees(tmp_path):
    run("import_legislators", "--source", str(ROSTER / "legislators-current.yaml"))
    run("import_committees", "--source", str(FIXTURES))
    committees = yaml.safe_load((FIXTURES / "committees-current.yaml").read_text())
    members = yaml.safe_load((FIXTURES / "committee-membership-current.yaml").read_text())
    # The joint committee is dissolved; Rosa leaves Sample Matters; the delegate moves up.
    committees = [c for c in committees if c["thomas_id"] != "JSPH"]
    del members["JSPH"]
    members["HSSM"] = [{"bioguide": "D000005", "party": "majority", "rank": 1}]
    (tmp_path / "committees-current.yaml").write_text(yaml.safe_dump(committees))
    (tmp_path / "committee-membership-current.yaml").write_text(yaml.safe_dump(members))
    output = run("import_committees", "--source", str(tmp_path))
    assert "0 created, 0 updated, 1 ended; memberships: 0 added, 1 changed, 1 removed" in output
    assert Committee.objects.get(code="JSPH").current is False  # kept for campaigns
    assert ("HSSM", "D000005", "majority") in memberships()
    assert not Membership.objects.filter(legislator__bioguide_id="R000003").exists()


@pytest.mark.parametrize(
    ("membership", "message"),
    [
        ({"SSXX": []}, "SSXX: no such committee"),
        ({"SSEX": [{"bioguide": "nobody"}]}, "malformed bioguide 'nobody'"),
        ({"SSEX": "X000001"}, "expected a list of members"),
    ],
)
def test_a_bad_file_changes_nothing(tmp_path, membership, message):
    run("import_legislators", "--source", str(ROSTER / "legislators-current.yaml"))
    shutil.copy(FIXTURES / "committees-current.yaml", tmp_path)
    (tmp_path / "committee-membership-current.yaml").write_text(yaml.safe_dump(membership))
    with pytest.raises(CommandError, match=message):
        run("import_committees", "--source", str(tmp_path))
    assert not Committee.objects.exists()


def test_a_malformed_committee_is_refused(tmp_path):
    (tmp_path / "committees-current.yaml").write_text("- {type: senate, thomas_id: X, name: A}")
    (tmp_path / "committee-membership-current.yaml").write_text("{}")
    with pytest.raises(SourceError, match="record 1: malformed thomas_id 'X'"):
        read_committees(tmp_path)


def test_missing_files_are_optional_only_when_asked(tmp_path):
    assert read_committees(tmp_path, optional=True) is None
    with pytest.raises(SourceError, match=r"no committees-current\.json or \.yaml"):
        read_committees(tmp_path)


def test_import_legislators_brings_the_committees_beside_the_roster(tmp_path):
    for name in ("legislators-current.yaml",):
        shutil.copy(ROSTER / name, tmp_path)
    for name in ("committees-current.yaml", "committee-membership-current.yaml"):
        shutil.copy(FIXTURES / name, tmp_path)
    output = run("import_legislators", "--source", str(tmp_path))
    assert "Committees: 4 created" in output
    assert Membership.objects.count() == 4


def test_imports_committees_from_a_local_http_server(serve):
    base = serve(FIXTURES)
    data = read_committees(f"{base}/legislators-current.yaml")
    assert len(data.committees) == 4
    assert read_committees(f"{base}/missing/legislators-current.yaml", optional=True) is None


def test_imports_the_real_committees():
    folder = shared_path("data", "congress-legislators")
    # The weekly roster refresh's command brings the committees along.
    output = run("import_legislators", "--source", str(folder))
    assert "Committees: 230 created, 0 updated, 0 ended; memberships: 3879 added" in output
    energy = Committee.objects.get(code="SSEG")
    assert energy.name == "Senate Committee on Energy and Natural Resources"
    assert energy.subcommittees.count() >= 3
    assert energy.members.count() > 15
    assert set(energy.members.values_list("chamber", flat=True)) == {"senate"}
    total = Membership.objects.count()
    # The YAML twin of the same data changes nothing.
    again = run("import_committees", "--source", str(folder / "legislators-current.yaml"))
    assert "0 created, 0 updated, 0 ended; memberships: 0 added, 0 changed, 0 removed" in again
    assert Membership.objects.count() == total
