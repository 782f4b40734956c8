"""Visits counted in Redis (a private redis-server), flushed to VisitTally."""

import pytest

from campaigns import tasks
from campaigns.models import VisitTally
from campaigns.supporters import visits
from tests import factories
from tests.support.processes import Redis

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not Redis.available(), reason="redis-server is not installed"),
]


def tallied():
    return {(row.campaign_id, row.source): row.visits for row in VisitTally.objects.all()}


def test_visits_wait_in_redis_until_flushed(private_redis_cache):
    campaign, other = factories.campaign(), factories.campaign()
    for source in ("", "", "newsletter", "news:letter"):
        visits.count(campaign, source)
    visits.count(other, "")
    assert not VisitTally.objects.exists()

    tasks.flush_visits()
    assert tallied() == {
        (campaign.pk, ""): 2,
        (campaign.pk, "newsletter"): 1,
        (campaign.pk, "news:letter"): 1,
        (other.pk, ""): 1,
    }
    visits.count(campaign, "")
    assert visits.flush() == 1
    assert visits.flush() == 0
    assert tallied()[(campaign.pk, "")] == 3


def test_a_failed_flush_is_taken_up_by_the_next(private_redis_cache, monkeypatch):
    campaign = factories.campaign()
    visits.count(campaign, "")

    def broken(rows):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(visits, "store", broken)
    with pytest.raises(RuntimeError):
        visits.flush()
    visits.count(campaign, "")  # counted after the failed flush, kept apart
    monkeypatch.undo()
    assert visits.flush() == 1
    assert visits.flush() == 1
    assert tallied() == {(campaign.pk, ""): 2}


def test_a_deleted_campaign_visits_are_dropped(private_redis_cache):
    campaign = factories.campaign()
    visits.count(campaign, "")
    campaign.delete()
    visits.flush()
    assert not VisitTally.objects.exists()


def test_with_redis_down_a_visit_goes_to_the_database(private_redis_cache):
    campaign = factories.campaign()
    private_redis_cache.stop()
    visits.count(campaign, "")
    assert tallied() == {(campaign.pk, ""): 1}
    assert visits.flush() == 0
