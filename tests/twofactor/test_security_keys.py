"""The security key endpoints refuse what they cannot use, with a reason.
(The whole ceremony runs in Chromium: tests/e2e/test_two_factor.py.)"""

import pytest

from tests.twofactor.test_sign_in import enrol, log_in

pytestmark = pytest.mark.django_db


def post_json(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_adding_a_key_needs_a_code_first(client, staff):
    log_in(client, staff)
    response = client.post("/accounts/two-factor/keys/add/options/")
    assert response.status_code == 403
    assert response.json() == {"error": "Sign in with a code first."}


def test_registration_options_name_this_site(client, staff):
    enrol(client, staff)
    options = client.post("/accounts/two-factor/keys/add/options/").json()["publicKey"]
    assert options["rp"] == {"name": "Constituent", "id": "testserver"}
    assert options["user"]["name"] == "stella"
    assert len(options["challenge"]) >= 43


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not json", "Send the key's answer as JSON."),
        ({"credential": "x"}, "Send the key's answer as JSON."),
        ({"credential": {}}, "Start again: the request for a key expired."),
    ],
)
def test_a_bad_answer_is_a_400_that_says_why(client, staff, body, message):
    enrol(client, staff)
    response = post_json(client, "/accounts/two-factor/keys/add/", body)
    assert response.status_code == 400
    assert response.json()["error"] == message


def test_a_forged_answer_does_not_check_out(client, staff):
    enrol(client, staff)
    client.post("/accounts/two-factor/keys/add/options/")
    response = post_json(
        client, "/accounts/two-factor/keys/add/", {"credential": {"id": "AAAA", "response": {}}}
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith("The key's answer did not check out")


def test_no_key_no_key_sign_in(client, staff):
    enrol(client, staff)
    client.post("/accounts/logout/")
    log_in(client, staff)
    response = client.post("/accounts/two-factor/keys/verify/options/")
    assert response.status_code == 400
    assert "You have no security key" in response.json()["error"]
    assert "Use my security key" not in client.get("/accounts/two-factor/verify/").content.decode()
