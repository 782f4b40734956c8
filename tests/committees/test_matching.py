"""A committee named in a release, in words or letters, becomes the draft's target."""

import pytest
from django.core.management import call_command

from campaigns.drafting.authoring import create_draft
from campaigns.models import Campaign
from committees.matching import committees_named_in
from committees.models import Committee
from tests.conftest import shared_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def committees():
    made = [
        ("SSEG", "senate", "Senate Committee on Energy and Natural Resources"),
        ("SSBK", "senate", "Senate Committee on Banking, Housing, and Urban Affairs"),
        ("SSGA", "senate", "Senate Committee on Homeland Security and Governmental Affairs"),
        ("HSJU", "house", "House Committee on the Judiciary"),
        ("HSIF", "house", "House Committee on Energy and Commerce"),
        ("JSEC", "joint", "Joint Economic Committee"),
    ]
    for code, chamber, name in made:
        Committee.objects.create(code=code, chamber=chamber, name=name)
    Committee.objects.create(
        code="SSEG01", chamber="senate", name="Energy", parent=Committee.objects.get(code="SSEG")
    )


def codes(text):
    return [committee.code for committee in committees_named_in(text)]


@pytest.mark.usefixtures("committees")
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We urge the Senate Energy and Natural Resources Committee to mark up S. 12.", ["SSEG"]),
        ("Ahead of the SENR markup on Tuesday, write today.", ["SSEG"]),
        ("The SSEG vote is close.", ["SSEG"]),
        ("Testimony before the House Committee on the Judiciary.", ["HSJU"]),
        ("a House Judiciary Committee hearing on FISA", ["HSJU"]),
        ("Senate Banking Committee Chairman Sherrod Brown", ["SSBK"]),
        ("cleared the Senate Homeland Security and Government Affairs Committee", ["SSGA"]),
        ("the House Energy and Commerce committee", []),  # a lowercase "committee" is prose
        ("the House Energy and Commerce Committee and the Joint Economic Committee",
         ["HSIF", "JSEC"]),
        ("The Senate Energy Committee", ["SSEG"]),
        ("The House Energy Committee", ["HSIF"]),
        ("The House passed it; the Senate must act.", []),
        ("SENATE ACTION NEEDED NOW", []),
    ],
)  # fmt: skip
def test_names_and_abbreviations(text, expected):
    assert codes(text) == expected


@pytest.mark.usefixtures("committees")
def test_the_draft_writes_to_the_committee_and_says_so():
    release = (
        "Wilderness Coalition Urges Senate Energy and Natural Resources Committee to Protect "
        "Public Lands\n\nDENVER, June 1, 2026 – The Wilderness Coalition today urged the Senate "
        "Energy and Natural Resources Committee to pass S. 1234 at Thursday's markup.\n"
    )
    campaign = create_draft(text=release)
    assert campaign.targets == Campaign.Targets.COMMITTEE
    assert list(campaign.committee_targeting.committees.values_list("code", flat=True)) == ["SSEG"]
    assert any("Senate Committee on Energy and Natural Resources" in note
               for note in campaign.release_facts["notes"])  # fmt: skip


def test_a_release_naming_no_committee_keeps_its_targets():
    campaign = create_draft(text="Harbor Alliance Urges Congress to Act\n\nThe House must act.")
    assert campaign.targets != Campaign.Targets.COMMITTEE


@pytest.mark.parametrize(
    ("release", "expected"),
    [
        ("44-nahb-housing-build-back-better.txt", {"SSBK", "HSBA"}),
        ("33-icog-presidential-records-s886.txt", {"SSGA"}),
        ("01-fcnl-yemen-house-vote.txt", set()),
    ],
)
def test_real_releases_against_the_real_committees(release, expected):
    folder = shared_path("data", "congress-legislators")
    call_command("import_committees", "--source", str(folder), stdout=None)
    text = shared_path("releases", release).read_text()
    assert set(codes(text)) == expected
