import json

import pytest
from django.core.management import CommandError, call_command

from campaigns.models import Campaign
from tests.campaigns.test_organizer_views import RELEASE


@pytest.fixture
def release_file(tmp_path):
    path = tmp_path / "release.txt"
    path.write_text(RELEASE)
    return path


@pytest.mark.django_db
def test_json_prints_the_facts_and_creates_nothing(release_file, capsys):
    call_command("draft_campaign", str(release_file), "--json")
    facts = json.loads(capsys.readouterr().out)
    assert set(facts) >= {
        "headline",
        "subheadline",
        "date",
        "place",
        "organization",
        "spokesperson",
        "call_to_action",
        "targets",
        "targets_congress",
        "asks",
        "bills",
    }
    assert facts["date"] == "2025-03-03"
    assert facts["bills"] == ["H.R. 4521"]
    assert facts["targets_congress"] is True
    for field in ("headline", "date", "targets", "organization", "call_to_action"):
        assert 0 < facts[f"{field}_confidence"] <= 1, field
    assert len(facts["candidate_asks"]) == 3
    assert any("more than a year before today" in warning for warning in facts["warnings"])
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_creates_and_publishes(release_file, capsys):
    call_command("draft_campaign", str(release_file), "--publish")
    campaign = Campaign.objects.get()
    assert campaign.status == Campaign.Status.LIVE
    assert campaign.get_absolute_url() in capsys.readouterr().out


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("draft_campaign", str(tmp_path / "nope.txt"), "--json")


@pytest.mark.django_db
def test_the_seed_release_comes_out_right(shared, capsys):
    call_command("draft_campaign", str(shared("seed-release.txt")), "--json")
    facts = json.loads(capsys.readouterr().out)
    assert facts["organization"] == "Syrian American Council"
    assert facts["date"] == "2020-01-29"
    assert facts["call_to_action"].startswith("We are calling on the Trump administration")
    assert facts["targets_congress"] is True
