"""The browser's own defences: a strict CSP on every kind of page, and, with
production settings, secure cookies, HSTS and the redirect to HTTPS."""

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, override_settings

from campaigns.models import Campaign
from tests import factories
from tests.campaigns.conftest import BROWSER, look_up
from tests.config.test_startup import PRODUCTION

pytestmark = [pytest.mark.django_db]


def page_home(world):
    return Client().get("/")


def page_campaign(world):
    return Client().get(world.campaign.get_absolute_url())


def page_letter(world):
    return world.supporter.get(world.campaign.get_absolute_url())


def page_districts(world):
    # A ZIP in two districts, each with its own representative: the supporter chooses.
    factories.zip_rows(("03101", "NH", 1), ("03101", "NH", 2))
    factories.legislator("NH", 1)
    factories.legislator("NH", 2)
    client = Client(headers={"User-Agent": BROWSER})
    look_up(client, world.campaign, city="Manchester", state="NH", zip_code="03101")
    return client.get(world.campaign.get_absolute_url())


def page_thanks(world):
    return world.supporter.get(f"/c/{world.campaign.slug}/thanks/{world.submission.uuid}/")


def page_confirm(world):
    return Client().get(f"/c/{world.campaign.slug}/confirm/{world.token}/")


def page_closed(world):
    Campaign.objects.filter(pk=world.campaign.pk).update(status=Campaign.Status.CLOSED)
    return Client().get(world.campaign.get_absolute_url())


@override_settings(LOOKUPS_PER_IP_PER_HOUR=1)
def page_limited(world):
    client = Client(headers={"User-Agent": BROWSER})
    look_up(client, world.campaign)
    return client.post(world.campaign.get_absolute_url(), {"first_name": "Maya"})


def page_not_found(world):
    return Client().get("/c/no-such-campaign/")


def page_lookup(world):
    return Client().get("/lookup/", {"zip": "05401", "format": "html"})


def page_login(world):
    return Client().get("/accounts/login/")


def organizer_page(path):
    def page(world):
        client = Client()
        client.force_login(world.campaign.owner)
        return client.get(path.format(slug=world.campaign.slug))

    page.__name__ = f"page {path}"
    return page


# Each kind of page, with words that show it is that page.
PAGES = [
    (page_home, "Write to your members of Congress"),
    (page_campaign, "Find my members"),
    (page_letter, "You have already written on this campaign"),
    (page_districts, "Which district are you in?"),
    (page_thanks, "Your letters"),
    (page_confirm, "Send my letters"),
    (page_closed, "This campaign has closed"),
    (page_limited, "a lot of address lookups"),
    (page_not_found, "Page not found"),
    (page_lookup, "Bernard Sanders"),
    (page_login, "password"),
    (organizer_page("/organize/"), "Shelter now"),
    (organizer_page("/organize/new/"), "Paste the press release"),
    (organizer_page("/organize/{slug}/"), "Shelter now"),
    (organizer_page("/organize/{slug}/preview/"), "Shelter now"),
    (organizer_page("/staff/"), "Shelter now"),
    (organizer_page("/staff/{slug}/"), "Shelter now"),
]


@pytest.mark.parametrize(("page", "words"), PAGES, ids=[page.__name__ for page, _ in PAGES])
def test_every_kind_of_page_has_a_strict_csp(world, page, words):
    response = page(world)
    assert words in response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    # The nonce appears only when the page used it, i.e. has a script.
    script_src = re.fullmatch(r"'self'(?: 'nonce-([^']+)')?", directives["script-src"])
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert script_src.group(1) and f'nonce="{script_src.group(1)}"' in tag, tag
    # What the policy would block: inline handlers, javascript: links, inline styles.
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html)
    assert "javascript:" not in html.lower()
    assert not re.search(r"<[^>]+\sstyle\s*=", html)
    assert not re.search(r"<style\b", html)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_each_response_has_its_own_nonce(world):
    policies = {Client().get("/")["Content-Security-Policy"] for _ in range(2)}
    assert len(policies) == 2


def test_the_admin_runs_under_the_same_policy(client):
    client.force_login(User.objects.create_superuser("root"))
    policy = client.get("/admin/")["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "'nonce-" in policy


# Run in a fresh process with the production environment: the settings
# module decides cookies and HSTS when it is imported. The URL sets a session
# value and a CSRF token, as the campaign page does.
PRODUCTION_REQUESTS = textwrap.dedent(
    """
    import json
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.http import HttpResponse
    from django.middleware.csrf import get_token
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import path

    django.setup()


    def view(request):
        request.session["campaign"] = "seen"
        get_token(request)
        return HttpResponse("ok")


    urlpatterns = [path("", view)]
    call_command("migrate", "sessions", verbosity=0)
    host = settings.ALLOWED_HOSTS[0]
    with override_settings(ROOT_URLCONF=__name__):
        secure = Client().get("/", secure=True, headers={"host": host})
        plain = Client().get("/", headers={"host": host})
    print(json.dumps({
        "status": secure.status_code,
        "hsts": secure.get("Strict-Transport-Security"),
        "cookies": {
            name: {key: str(morsel[key]) for key in ("secure", "httponly", "samesite")}
            for name, morsel in secure.cookies.items()
        },
        "plain": [plain.status_code, plain.get("Location")],
    }))
    """
)


def test_production_cookies_are_secure_and_hsts_is_on(tmp_path):
    (tmp_path / "production_requests.py").write_text(PRODUCTION_REQUESTS)
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION} | PRODUCTION
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": "locmem://",
        "VAR_DIR": str(tmp_path),
        "PYTHONPATH": f"{tmp_path}:{settings.BASE_DIR}",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import production_requests"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["status"] == 200
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    session, csrf = seen["cookies"]["sessionid"], seen["cookies"]["csrftoken"]
    assert session == {"secure": "True", "httponly": "True", "samesite": "Lax"}
    # Pages read the CSRF token from the form, so only Secure matters for it.
    assert csrf["secure"] == "True" and csrf["samesite"] == "Lax"
    assert seen["plain"] == [301, "https://letters.example.org/"]
