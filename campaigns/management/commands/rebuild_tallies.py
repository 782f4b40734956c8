"""Recount the letter tallies from the letters, installing their triggers again."""

from django.core.management.base import BaseCommand

from campaigns import tallies
from campaigns.models import LetterTally


class Command(BaseCommand):
    help = (
        "Install the triggers that count letters again (for the current TIME_ZONE) and "
        "recount every campaign's letters. Run it after changing TIME_ZONE."
    )

    def handle(self, *args, **options):
        rows = tallies.rebuild()
        letters = sum(LetterTally.objects.values_list("letters", flat=True))
        self.stdout.write(f"Counted {letters} letters into {rows} tallies.")
