from django.core.management.base import BaseCommand, CommandError
from django.db.models.functions import Now

from operations.beat import LEASE
from operations.models import Lease


class Command(BaseCommand):
    help = "Which beat process schedules the periodic tasks; fails when none does."

    def handle(self, *args, **options):
        lease = Lease.objects.filter(name=LEASE).annotate(now=Now()).first()
        if lease is None:
            raise CommandError("No beat process has ever held the scheduler lease.")
        if lease.expires_at < lease.now:
            raise CommandError(
                f"No beat process holds the scheduler lease; {lease.holder} "
                f"last renewed it at {lease.renewed_at:%Y-%m-%d %H:%M:%S %Z}."
            )
        self.stdout.write(f"{lease.holder} schedules, its lease renewed at {lease.renewed_at}.")
