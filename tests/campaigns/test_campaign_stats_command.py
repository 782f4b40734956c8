import json
from datetime import datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from campaigns.models import Event, Letter
from tests import factories

pytestmark = pytest.mark.django_db

NOON = timezone.make_aware(datetime(2026, 6, 2, 12))
DAY = ["--from", "2026-06-02", "--to", "2026-06-02"]


@pytest.fixture
def campaign():
    campaign = factories.campaign(slug="clean-water")
    senator = factories.legislator("TX", official_full_name="John Cornyn")
    californian = factories.legislator("CA", 12, official_full_name="Lateefah Simon")
    delivered = {"status": Letter.Status.DELIVERED, "delivered_at": NOON + timedelta(minutes=3)}
    factories.letter(campaign, senator, created_at=NOON, **delivered)
    factories.letter(campaign, senator, created_at=NOON, status=Letter.Status.FAILED)
    factories.letter(campaign, californian, created_at=NOON)
    factories.visit(campaign, created_at=NOON)
    factories.event(campaign, Event.Kind.LOOKUP, created_at=NOON)
    return campaign


def run(*args):
    out = []

    class Out:
        def write(self, text):
            out.append(text)

    call_command("campaign_stats", *args, stdout=Out())
    return "".join(out)


def test_json_has_the_dashboards_numbers(campaign):
    numbers = json.loads(run("clean-water", "--json", *DAY))
    assert {key: numbers[key] for key in ("visits", "lookups", "submissions", "letters")} == {
        "visits": 1,
        "lookups": 1,
        "submissions": 3,
        "letters": 3,
    }
    assert (numbers["delivered"], numbers["failed"], numbers["pending"]) == (1, 1, 1)
    assert numbers["median_delivery_seconds"] == 180
    assert [(row["state"], row["total"]) for row in numbers["by_state"]] == [("TX", 2), ("CA", 1)]
    assert [
        (row["name"], row["seat"], row["total"], row["delivered"])
        for row in numbers["by_legislator"]
    ] == [
        ("John Cornyn", "TX Senate", 2, 1),
        ("Lateefah Simon", "CA-12", 1, 0),
    ]
    assert numbers["per_day"] == [
        {
            "day": "2026-06-02",
            "total": 3,
            "delivered": 1,
            "pending": 1,
            "retrying": 0,
            "rejected": 0,
            "failed": 1,
            "no_route": 0,
            "cancelled": 0,
        }
    ]
    assert [row["office"] for row in numbers["office_health"]] == ["John Cornyn (TX Senate)"]


def test_json_for_one_state(campaign):
    numbers = json.loads(run("clean-water", "--json", *DAY, "--state", "tx"))
    assert (numbers["state"], numbers["letters"], numbers["visits"]) == ("TX", 2, None)
    assert [row["name"] for row in numbers["by_legislator"]] == ["John Cornyn"]


def test_tables_for_people(campaign):
    text = run("clean-water", *DAY)
    assert "clean-water: 2026-06-02 to 2026-06-02" in text
    assert "Letters                                3" in text
    assert "Median time to delivery            3 min" in text
    assert "John Cornyn" in text and "Lateefah Simon" in text


def test_bad_input_is_a_command_error(campaign):
    with pytest.raises(CommandError, match="No campaign 'nope'"):
        run("nope")
    with pytest.raises(CommandError, match="not a state code"):
        run("clean-water", "--state", "ZZ")
