"""Everything `make demo` needs in the database, reusing what already exists."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_USERNAME = "admin"


def demo_password():
    """The demo admin's password: made once, kept under var/ and reused."""
    path = settings.VAR_DIR / "demo-admin-password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


class Command(BaseCommand):
    help = "Create the demo admin and load the demo data (safe to run again)."

    def handle(self, *args, **options):
        password = demo_password()
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={"is_staff": True, "is_superuser": True, "email": "admin@localhost"},
        )
        if created:
            user.set_password(password)
            user.save()
        self.stdout.write(f"Demo admin: username {DEMO_USERNAME!r}, password {password!r}")
