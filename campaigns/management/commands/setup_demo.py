"""Everything `make demo` needs in the database, reusing what already exists."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from campaigns.drafting import authoring
from campaigns.models import Campaign
from offices import directory
from offices.directory import configured_sources

DEMO_USERNAME = "admin"


def demo_password():
    """The demo admin's password: made once, kept under var/ and reused."""
    path = settings.VAR_DIR / "demo-admin-password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


class Command(BaseCommand):
    help = "Load the data, the demo admin and the seed campaign (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-data", action="store_true", help="do not import legislators and ZIP codes"
        )

    def handle(self, *args, skip_data=False, **options):
        if not skip_data:
            # Both imports are idempotent upserts, so a second run only
            # picks up what changed upstream.
            call_command("import_legislators", stdout=self.stdout)
            call_command("import_zip_districts", stdout=self.stdout)
            self.import_offices()
        admin = self.ensure_admin()
        self.ensure_seed_campaign(admin)

    def import_offices(self):
        if configured_sources():
            call_command("import_offices", stdout=self.stdout)
        elif "cwc" in settings.DELIVERY_CHANNELS:
            self.stdout.write(
                "No CWC office lists (CWC_HOUSE_OFFICES_SOURCE, CWC_SENATE_OFFICES_SOURCE): "
                "letters to Congress end 'No way to reach this office' until "
                "import_offices has read them."
            )
        else:
            # No list is published without an API key, so a laptop demo has
            # none; its outbox only records letters, so it lists every seat
            # rather than show every office as out of reach.
            for report in directory.list_every_seat_for_demo():
                self.stdout.write(
                    f"Demo: {report.enrolled} {report.chamber} offices listed as reached by CWC "
                    "(every seat; a deployment reads CWC's own lists with import_offices)."
                )

    def ensure_admin(self):
        password = demo_password()
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={"is_staff": True, "is_superuser": True, "email": "admin@localhost"},
        )
        if created:
            user.set_password(password)
            user.save()
        self.stdout.write(f"Demo admin: username {DEMO_USERNAME!r}, password {password!r}")
        return user

    def ensure_seed_campaign(self, owner):
        path = settings.DEMO_RELEASE
        if not path.exists():
            self.stdout.write(
                f"No seed release at {path}: draft a campaign at /organize/new/ instead."
            )
            return
        text = path.read_text(encoding="utf-8")
        campaign = Campaign.objects.filter(release_text=text).first()
        if campaign is None:
            campaign = authoring.create_draft(text=text, owner=owner)
            authoring.publish(campaign)
        self.stdout.write(f"Seed campaign: {settings.SITE_URL}{campaign.get_absolute_url()}")
