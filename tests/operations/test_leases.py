"""Leases in the database: one holder at a time, handed over when one lapses."""

from datetime import timedelta

import pytest
from django.utils import timezone

from operations import leases
from operations.models import Lease

pytestmark = pytest.mark.django_db


def lapse(name):
    Lease.objects.filter(name=name).update(expires_at=timezone.now() - timedelta(seconds=1))


def test_the_first_comer_takes_a_free_lease_and_keeps_it():
    assert leases.hold("job", "a", 60) == leases.Held(taken_from=None)
    assert leases.hold("job", "a", 60) == leases.Held(taken_from=None)
    assert Lease.objects.get(name="job").holder == "a"


def test_another_holder_waits_while_the_lease_is_current():
    leases.hold("job", "a", 60)
    assert leases.hold("job", "b", 60) is None
    assert Lease.objects.get(name="job").holder == "a"


def test_a_lapsed_lease_is_taken_over_with_the_last_renewal():
    leases.hold("job", "a", 60)
    last_seen = Lease.objects.get(name="job").renewed_at
    lapse("job")
    assert leases.hold("job", "b", 60) == leases.Held(taken_from=last_seen)
    assert leases.hold("job", "a", 60) is None  # the old holder, back, must wait


def test_a_released_lease_is_free_at_once():
    leases.hold("job", "a", 60)
    leases.release("job", "a")
    assert leases.hold("job", "b", 60) is not None


def test_only_the_holder_can_release():
    leases.hold("job", "a", 60)
    leases.release("job", "b")
    assert leases.hold("job", "b", 60) is None


def test_leases_are_independent():
    leases.hold("one", "a", 60)
    assert leases.hold("two", "b", 60) is not None
