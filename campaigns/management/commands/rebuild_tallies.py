"""Recount the letter tallies and the dashboard's rollups, installing their triggers again."""

from django.core.management.base import BaseCommand

from campaigns import rollups, tallies
from campaigns.models import LetterTally


class Command(BaseCommand):
    help = (
        "Install the triggers that count letters, submissions and lookups again (for the "
        "current TIME_ZONE) and recount every campaign's. Run it after changing TIME_ZONE."
    )

    def handle(self, *args, **options):
        rows = tallies.rebuild()
        rollups.rebuild()
        letters = sum(LetterTally.objects.values_list("letters", flat=True))
        self.stdout.write(f"Counted {letters} letters into {rows} tallies, and the rollups.")
