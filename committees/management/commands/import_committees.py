from django.core.management.base import BaseCommand, CommandError

from committees.sync import import_committees
from legislators.importers import SourceError, default_legislators_source


class Command(BaseCommand):
    help = (
        "Load committees, subcommittees and their members from the congress-legislators "
        "committee files beside the roster. Import legislators first: members not in the "
        "roster are skipped and counted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            help="URL, folder or file of the roster the committee files sit beside "
            "(default: as import_legislators).",
        )

    def handle(self, *args, source=None, **options):
        source = source or default_legislators_source()
        self.stdout.write(f"Reading committees beside {source}")
        try:
            counts = import_committees(source)
        except SourceError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(describe(counts)))


def describe(counts):
    return (
        f"Committees: {counts.committees_created} created, {counts.committees_updated} "
        f"updated, {counts.committees_ended} ended; memberships: {counts.memberships_added} "
        f"added, {counts.memberships_changed} changed, {counts.memberships_removed} removed"
        + (f"; {counts.unknown_members} not in the roster" if counts.unknown_members else "")
    )
