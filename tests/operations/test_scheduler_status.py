from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from operations import leases
from operations.beat import LEASE
from operations.models import Lease

pytestmark = pytest.mark.django_db


def test_names_the_beat_that_schedules(capsys):
    leases.hold(LEASE, "node-b:4242:abcd", 60)
    call_command("scheduler_status")
    assert "node-b:4242:abcd schedules" in capsys.readouterr().out


def test_fails_when_no_beat_holds_the_lease():
    with pytest.raises(CommandError, match="ever held"):
        call_command("scheduler_status")
    leases.hold(LEASE, "node-a:1:dead", 60)
    Lease.objects.update(expires_at=timezone.now() - timedelta(seconds=5))
    with pytest.raises(CommandError, match="node-a:1:dead last renewed"):
        call_command("scheduler_status")
