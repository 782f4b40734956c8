"""Members are cached per district, and a roster change is seen at once."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from config import versions
from legislators import roster
from legislators.lookup import Status, find_representation
from legislators.models import Legislator
from tests.factories import delegation, zip_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("zip_only")]


@pytest.fixture
def zip_only():
    with override_settings(DISTRICT_LOOKUP_BACKENDS=["zipcode"]):
        yield


def test_a_member_leaving_office_is_seen_by_the_next_lookup():
    zip_rows(("05401", "VT", 0))
    _senior, junior, _representative = delegation("VT", 0)
    assert len(find_representation(zip_code="05401").legislators) == 3  # now cached

    junior.in_office = False
    junior.save()
    found = find_representation(zip_code="05401")
    assert found.status == Status.OK
    assert junior not in found.legislators and len(found.legislators) == 2


def test_an_import_is_seen_by_the_next_lookup(shared, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    folder = shared("data", "congress-legislators")
    zip_rows(("05401", "VT", 0))
    delegation("VT", 0)
    find_representation(zip_code="05401")  # caches the made-up delegation

    with django_capture_on_commit_callbacks(execute=True):  # the import commits
        call_command("import_legislators", "--source", str(folder), "--allow-mass-departure")
    names = {member.last_name for member in find_representation(zip_code="05401").legislators}
    assert names == {"Sanders", "Welch", "Balint"}
    assert Legislator.objects.filter(in_office=True).count() == 537


def test_members_by_id_are_read_once_per_roster_version(django_assert_num_queries):
    senior, junior, representative = delegation("VT", 0)
    ids = [senior.bioguide_id, junior.bioguide_id, representative.bioguide_id]
    assert roster.members_by_bioguide(ids) == [senior, junior, representative]
    with django_assert_num_queries(0):
        again = roster.members_by_bioguide(ids)
    assert again == [senior, junior, representative]
    again[0].first_name = "Changed by one request"
    assert roster.members_by_bioguide(ids)[0].first_name == senior.first_name

    junior.in_office = False
    junior.save()
    assert roster.members_by_bioguide(ids) == [senior, representative]


def test_members_by_id_are_read_afresh_while_the_cache_cannot_say_which_roster(monkeypatch):
    senior, junior, _representative = delegation("VT", 0)
    ids = [senior.bioguide_id, junior.bioguide_id]
    assert roster.members_by_bioguide(ids) == [senior, junior]
    monkeypatch.setattr(versions, "current", lambda name: None)
    # A change whose new version the cache could not take: read from the rows.
    Legislator.objects.filter(pk=junior.pk).update(in_office=False)
    assert roster.members_by_bioguide(ids) == [senior]


def test_a_cache_emptied_by_a_restart_never_brings_back_an_old_version():
    first = roster.roster_version()
    cache.clear()
    assert roster.roster_version() not in (None, first)
