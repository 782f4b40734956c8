"""Organizers issue their own tokens (shown once) and revoke them."""

import re

import pytest

from api.models import ApiToken
from api.tokens import digest_of, issue
from tests.api.conftest import ApiClient, organizer

pytestmark = pytest.mark.django_db


def test_issue_once_then_only_the_prefix(client):
    olivia = organizer("olivia")
    client.force_login(olivia)
    response = client.post("/organize/api-tokens/", {"name": "Our CRM", "scope": "write"})
    assert response["Cache-Control"] == "no-store"
    raw = re.search(r'id="new-token">(cst_[\w-]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert (token.owner, token.scope, token.digest) == (olivia, "write", digest_of(raw))
    again = client.get("/organize/api-tokens/").content.decode()
    assert raw not in again
    assert f"{token.prefix}…" in again
    assert ApiClient(raw).get("/campaigns").status_code == 200


def test_a_bad_form_says_what_is_missing(client):
    client.force_login(organizer("olivia"))
    response = client.post("/organize/api-tokens/", {"name": "", "scope": "admin"})
    page = response.content.decode()
    assert "This field is required." in page
    assert "Select a valid choice." in page
    assert not ApiToken.objects.exists()


def test_revoke_own_tokens_only(client):
    olivia, oscar = organizer("olivia"), organizer("oscar")
    client.force_login(olivia)
    client.post("/organize/api-tokens/", {"name": "CRM", "scope": "read"})
    token = ApiToken.objects.get()
    client.force_login(oscar)
    assert client.post(f"/organize/api-tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.active
    client.force_login(olivia)
    response = client.post(f"/organize/api-tokens/{token.pk}/revoke/", follow=True)
    assert "Requests with it now get a 401." in response.content.decode()
    token.refresh_from_db()
    assert not token.active


def test_staff_revoke_in_the_admin(admin_client):
    olivia = organizer("olivia")
    token, _raw = issue(olivia, "CRM")
    response = admin_client.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert admin_client.get("/admin/api/apitoken/add/").status_code == 403
