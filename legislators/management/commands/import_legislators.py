from django.core.management.base import BaseCommand, CommandError

from committees.management.commands.import_committees import describe
from committees.sync import import_committees
from legislators.importers import SourceError, default_legislators_source, read_legislators
from legislators.sync import ImportRefused, save_legislators

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Load current members of Congress from unitedstates/congress-legislators "
        "(JSON or YAML; a URL, a folder or a file). Members missing from the file "
        "are marked out of office, never deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            help="URL, folder or file (default: LEGISLATORS_SOURCE, the local data "
            "folder when present, else the official URL).",
        )
        parser.add_argument(
            "--allow-mass-departure",
            action="store_true",
            help="Accept a file that sends home more members than a new Congress would.",
        )

    def handle(self, *args, source=None, allow_mass_departure=False, **options):
        source = source or default_legislators_source()
        self.stdout.write(f"Reading {source}")
        try:
            roster = read_legislators(source)
            counts = save_legislators(
                roster.rows, progress=self.progress, allow_mass_departure=allow_mass_departure
            )
            # The committee files are optional beside the roster, like the offices.
            committees = import_committees(source, optional=True)
        except (SourceError, ImportRefused) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Read {', '.join(roster.files)}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts.created} created, {counts.updated} updated, "
                f"{counts.unchanged} unchanged, {counts.departed} departed"
            )
        )
        if committees:
            self.stdout.write(self.style.SUCCESS(describe(committees)))

    def progress(self, done, total):
        # Redraw in place on a terminal; in a log, one line at the end.
        if done != total and (done % 25 or not self.stdout.isatty()):
            return
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self.stdout.write(f"\r[{bar}] {done}/{total}", ending="\n" if done == total else "")
        self.stdout.flush()
