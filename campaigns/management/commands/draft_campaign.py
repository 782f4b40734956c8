import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from campaigns.drafting import authoring, extract, fetch
from campaigns.drafting.draft import draft_from_facts, repeat_warnings


class Command(BaseCommand):
    help = "Draft a campaign from a press release (a file or a URL)."

    def add_arguments(self, parser):
        parser.add_argument("release", help="a text file, or an http(s) URL")
        parser.add_argument(
            "--json",
            action="store_true",
            help="print the extracted facts and the draft's warnings; create nothing",
        )
        parser.add_argument("--publish", action="store_true", help="publish the draft at once")

    def handle(self, *args, release, **options):
        text, url = self.read(release)
        if options["json"]:
            facts = extract.extract(text, url=url)
            # The rule-based draft's warnings: what the organizer's page would flag.
            draft = draft_from_facts(facts)
            warnings = [
                *draft.notes,
                *repeat_warnings(summary=draft.summary, letter=draft.letter_body),
            ]
            self.stdout.write(json.dumps({**facts.as_dict(), "warnings": warnings}, indent=2))
            return
        campaign = authoring.create_draft(text=text, url=url)
        if options["publish"]:
            authoring.publish(campaign)
        self.stdout.write(
            f"{campaign.get_status_display()} campaign {campaign.title!r}: "
            f"{settings.SITE_URL}{campaign.get_absolute_url()}"
        )

    def read(self, release):
        if release.startswith(("http://", "https://")):
            try:
                return fetch.fetch_release_text(release), release
            except fetch.ReleaseFetchError as error:
                raise CommandError(f"{release}: {error}") from None
        path = Path(release)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        if not text.strip():
            raise CommandError(f"{path} is empty.")
        return text, ""
