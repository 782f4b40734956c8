from django.core.management.base import BaseCommand, CommandError

from legislators.importers import SourceError, default_zip_districts_source, read_zip_districts
from legislators.sync import replace_zip_districts


class Command(BaseCommand):
    help = "Replace the ZIP (ZCTA) to congressional district table from zccd.csv."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            help="URL, folder or file (default: ZIP_DISTRICTS_SOURCE, the local data "
            "folder when present, else the official URL).",
        )

    def handle(self, *args, source=None, **options):
        source = source or default_zip_districts_source()
        self.stdout.write(f"Reading {source}")
        try:
            count = replace_zip_districts(read_zip_districts(source))
        except SourceError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"{count} ZIP-district pairs loaded"))
