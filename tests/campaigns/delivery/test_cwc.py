"""The CWC channel against a local CWC server: every answer it can give."""

import shutil
import subprocess

import pytest
import requests
from lxml import etree

from campaigns.delivery import sending
from campaigns.delivery.channels import cwc
from campaigns.delivery.errors import DeliveryError
from campaigns.models import Letter
from tests import factories
from tests.support.cwc_server import CwcServer
from tests.support.processes import free_port

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cwc_schema")]


def test_accepted_message_returns_the_delivery_id(cwc_server):
    letter = factories.letter()
    assert cwc.send(letter).provider_id == letter.uuid.hex
    assert cwc_server.received == [letter.uuid.hex]


def test_senators_are_reached_through_the_senate_endpoint(cwc_server, settings):
    with CwcServer() as senate:
        settings.CWC_SENATE_URL = senate.url
        letter = factories.letter(to=factories.legislator(senate_class=3))
        cwc.send(letter)
    assert senate.received == [letter.uuid.hex]
    assert cwc_server.received == []


def test_a_repeated_delivery_id_counts_as_delivered(cwc_server):
    letter = factories.letter()
    cwc.send(letter)
    assert cwc.send(letter).provider_id == letter.uuid.hex  # 409: the office already has it
    assert cwc_server.received == [letter.uuid.hex]
    assert cwc_server.repeats == [letter.uuid.hex]


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_never_followed_and_never_delivered(cwc_server, status):
    """A redirect means the endpoint is wrong: following it would turn the POST
    into a GET (301-303) or hand the letter to another server (307, 308)."""
    with CwcServer() as elsewhere:
        cwc_server.redirect = (status, f"{elsewhere.url}/v2/message?apikey={elsewhere.api_key}")
        with pytest.raises(DeliveryError) as caught:
            cwc.send(factories.letter())
        assert elsewhere.requests == 0
    assert not caught.value.permanent  # a setting to fix, not this letter's fault
    assert caught.value.message == (
        f"CWC answered HTTP {status}, a redirect to {elsewhere.url}/v2/message?apikey=***; "
        "check CWC_*_URL."
    )


def test_a_redirect_fails_the_letter_with_its_reason(cwc_server, settings):
    settings.DELIVERY_MAX_ATTEMPTS = 1
    cwc_server.redirect = (302, "/received")  # a GET there would answer 200
    letter = factories.letter()
    assert sending.deliver(letter.id).status == Letter.Status.FAILED
    letter.refresh_from_db()
    assert letter.failure_reason == (
        "Gave up after 1 attempts: cwc: CWC answered HTTP 302, a redirect to /received; "
        "check CWC_*_URL."
    )
    assert cwc_server.received == []


@pytest.mark.parametrize("status", [200, 202, 204])
def test_only_201_is_success(cwc_server, status):
    cwc_server.status = status
    letter = factories.letter()
    with pytest.raises(DeliveryError) as caught:
        cwc.send(letter)
    assert not caught.value.permanent
    assert caught.value.message.startswith(f"CWC answered HTTP {status}, not 201 Created")


def test_the_delivery_id_belongs_to_the_letter_not_the_attempt(cwc_server):
    """So a letter sent again after its answer (or the database) was lost is
    recognised by the office: 409, delivered, not a second letter."""
    letter = factories.letter()
    ids = {
        etree.fromstring(cwc.document(Letter.objects.get(id=letter.id))).findtext(
            "Delivery/DeliveryId"
        )
        for _ in range(2)
    }
    assert ids == {letter.uuid.hex}
    cwc.send(Letter.objects.get(id=letter.id))
    assert sending.deliver(letter.id).status == Letter.Status.DELIVERED
    assert (cwc_server.received, cwc_server.repeats) == ([letter.uuid.hex], [letter.uuid.hex])


def test_a_rejection_fails_for_good_with_the_servers_messages(cwc_server):
    cwc_server.reject = ["MemberOffice HXX99 is not an active office", "Try again never"]
    with pytest.raises(DeliveryError) as caught:
        cwc.send(factories.letter())
    assert caught.value.permanent
    assert caught.value.message == (
        "CWC rejected the message (HTTP 400): "
        "MemberOffice HXX99 is not an active office; Try again never"
    )


def test_a_rejected_letter_ends_rejected_with_the_servers_reason(cwc_server):
    cwc_server.reject = ["Constituent address could not be verified"]
    letter = factories.letter()
    assert sending.deliver(letter.id).status == Letter.Status.REJECTED
    letter.refresh_from_db()
    assert letter.gateway_answer.startswith("HTTP 400: <Errors><Error>Constituent address")
    assert letter.failure_reason == (
        "cwc: CWC rejected the message (HTTP 400): Constituent address could not be verified"
    )
    assert letter.attempts == 1


def test_a_server_error_is_passing(cwc_server):
    cwc_server.fail_rate = 1.0
    with pytest.raises(DeliveryError) as caught:
        cwc.send(factories.letter())
    assert not caught.value.permanent
    assert "HTTP 503" in caught.value.message


def test_a_slow_server_is_passing_and_the_retry_is_recognised(cwc_server, settings):
    settings.CWC_TIMEOUT = 0.2
    cwc_server.delay = 0.5
    letter = factories.letter()
    with pytest.raises(DeliveryError) as caught:
        cwc.send(letter)
    assert not caught.value.permanent
    assert "did not answer within 0.2 seconds" in caught.value.message

    cwc_server.delay = 0
    assert cwc.send(letter).provider_id == letter.uuid.hex  # the first one got there: 409
    assert cwc_server.received == [letter.uuid.hex]


def test_a_dripping_answer_is_cut_at_the_attempt_deadline(cwc_server, settings):
    """Each byte comes well within the per-read timeout; the whole answer never
    comes within the deadline, so the attempt ends there and is retried."""
    settings.CWC_TIMEOUT = 5
    settings.DELIVERY_ATTEMPT_SECONDS = 1
    cwc_server.drip = 0.3
    letter = factories.letter()
    with pytest.raises(DeliveryError) as caught:
        cwc.send(letter)
    assert not caught.value.permanent
    assert caught.value.message == "CWC did not finish answering within 1 seconds."

    assert cwc.send(letter).provider_id == letter.uuid.hex  # the first one got there: 409
    assert cwc_server.received == [letter.uuid.hex]


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1: (certfile, keyfile)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def test_https_checks_the_certificate(settings, certificate, monkeypatch):
    with CwcServer().use_tls(*certificate) as server:
        settings.DELIVERY_CHANNELS = ["cwc"]
        settings.CWC_HOUSE_URL = server.url
        settings.CWC_RATE_PER_SECOND = 0
        settings.CWC_HOUSE_API_KEY = server.api_key
        letter = factories.letter()
        with pytest.raises(DeliveryError) as caught:
            cwc.send(letter)  # a certificate nobody vouches for
        assert not caught.value.permanent
        assert "CERTIFICATE_VERIFY_FAILED" in caught.value.message
        assert server.received == []

        monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # now trusted
        assert cwc.send(letter).provider_id == letter.uuid.hex
        assert server.received == [letter.uuid.hex]


def test_no_server_is_passing(cwc_server, settings):
    settings.CWC_HOUSE_URL = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(DeliveryError) as caught:
        cwc.send(factories.letter())
    assert not caught.value.permanent
    assert caught.value.message.startswith("Could not reach CWC")


def test_a_wrong_api_key_waits_for_someone_to_fix_it(cwc_server, settings):
    settings.CWC_HOUSE_API_KEY = "wrong"
    with pytest.raises(DeliveryError) as caught:
        cwc.send(factories.letter())
    assert not caught.value.permanent
    assert "API key" in caught.value.message


def test_an_unconfigured_chamber_fails_for_good(settings):
    settings.CWC_HOUSE_URL = ""
    with pytest.raises(DeliveryError) as caught:
        cwc.send(factories.letter())
    assert caught.value.permanent
    assert "CWC_HOUSE_URL is not set" in caught.value.message


def test_an_invalid_message_is_never_sent(cwc_server):
    letter = factories.letter()
    letter.supporter.zip_code = "941"
    with pytest.raises(DeliveryError) as caught:
        cwc.send(letter)
    assert caught.value.permanent
    assert "Constituent/Zip: Error validating datatype" in caught.value.message
    assert cwc_server.requests == 0


def test_custom_targets_are_not_for_cwc():
    letter = factories.letter()
    assert cwc.accepts(letter)
    assert not cwc.accepts(factories.letter(to=factories.custom_target(letter.campaign)))


def test_the_server_validates_too(cwc_server):
    """/v2/validate on the local server uses the same rules."""
    xml = cwc.document(factories.letter())
    answer = requests.post(
        f"{cwc_server.url}/v2/validate",
        params={"apikey": cwc_server.api_key},
        data=xml.replace(b"HCA12", b"HCA1"),
        headers={"Content-Type": "application/xml"},
        timeout=5,
    )
    assert answer.status_code == 400
    assert "MemberOffice" in etree.fromstring(answer.content).findtext("Error")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"<Errors><Error>One</Error><Error>Two</Error></Errors>", "One; Two"),
        (b"<html><body>Bad request</body></html>", "<html><body>Bad request</body></html>"),
        (b"", "(no explanation given)"),
        (b"x" * 600, "x" * 500 + "…"),
    ],
)
def test_error_bodies_are_read_tolerantly(body, expected):
    assert cwc.error_messages(body) == expected
