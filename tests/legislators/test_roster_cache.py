"""Members are cached per district, and a roster change is seen at once."""

import pytest
from django.test import override_settings

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
