"""The organizer registers a webhook (the secret shown once), turns it back on, removes it."""

import re

import pytest

from tests.api.conftest import organizer
from tests.webhooks.conftest import hook_for
from webhooks.models import Webhook

pytestmark = pytest.mark.django_db


def test_register_with_a_made_secret_shown_once(client, owner, local_webhooks):
    client.force_login(owner)
    response = client.post(
        "/organize/webhooks/",
        {"url": "http://127.0.0.1:8001/hook", "events": ["letter.failed", "letter.delivered"]},
    )
    assert response["Cache-Control"] == "no-store"
    secret = re.search(r'id="new-secret">(whsec_[\w-]+)<', response.content.decode()).group(1)
    hook = Webhook.objects.get()
    assert (hook.owner, hook.secret) == (owner, secret)
    assert hook.events == ["letter.failed", "letter.delivered"]
    assert secret not in client.get("/organize/webhooks/").content.decode()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://127.0.0.1/hook", "which is not a public address"),
        ("http://93.184.215.14/hook", "The URL must start with https://."),
        ("not a url", "Enter a valid URL."),
    ],
)
def test_refuses_urls_it_must_not_call(client, owner, settings, url, message):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    client.force_login(owner)
    response = client.post("/organize/webhooks/", {"url": url, "events": ["letter.failed"]})
    assert message in response.content.decode()
    assert not Webhook.objects.exists()


def test_own_secret_and_events_are_checked(client, owner, local_webhooks):
    client.force_login(owner)
    page = client.post(
        "/organize/webhooks/",
        {"url": "http://127.0.0.1:8001/hook", "secret": "short", "events": ["lunch.served"]},
    ).content.decode()
    assert "Ensure this value has at least 16 characters" in page
    assert "Select a valid choice. lunch.served is not one of the available choices." in page


def test_turn_back_on_and_remove_only_own(client, owner, local_webhooks):
    hook = hook_for(owner, "http://127.0.0.1:8001/hook", active=False, failures_in_a_row=20)
    client.force_login(organizer("oscar"))
    assert client.post(f"/organize/webhooks/{hook.pk}/enable/").status_code == 404
    client.force_login(owner)
    client.post(f"/organize/webhooks/{hook.pk}/enable/")
    hook.refresh_from_db()
    assert hook.active and hook.failures_in_a_row == 0
    client.post(f"/organize/webhooks/{hook.pk}/delete/")
    assert not Webhook.objects.exists()
