from django.core.management.base import BaseCommand, CommandError

from legislators.importers import SourceError
from legislators.models import Chamber
from offices.directory import configured_sources, describe, import_lists
from offices.lists import __doc__ as FORMATS


class Command(BaseCommand):
    help = (
        "Load which offices CWC reaches from the House office list and the Senate "
        "active_offices list (a file or a URL each), and check them against the roster."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--house", help="The House office list (default: CWC_HOUSE_OFFICES_SOURCE)."
        )
        parser.add_argument(
            "--senate",
            help="The Senate active_offices list (default: CWC_SENATE_OFFICES_SOURCE).",
        )

    def handle(self, *args, house=None, senate=None, **options):
        given = {Chamber.HOUSE: house, Chamber.SENATE: senate}
        sources = {chamber: source for chamber, source in given.items() if source}
        sources = sources or configured_sources()
        if not sources:
            raise CommandError(
                "Give --house or --senate, or set CWC_HOUSE_OFFICES_SOURCE or "
                "CWC_SENATE_OFFICES_SOURCE.\n" + FORMATS
            )
        try:
            reports = import_lists(sources)
        except SourceError as error:
            raise CommandError(str(error)) from None
        for report in reports:
            lines = describe(report)
            self.stdout.write(self.style.SUCCESS(lines[0]))
            for line in lines[1:]:
                self.stdout.write(line)
