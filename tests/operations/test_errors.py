"""Errors reach Sentry (a local server that speaks its envelope protocol)
with the exception and without the supporter's details."""

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk
from django.test import Client

from config import errors

SECRETS = ["zenobia.q@example.org", "4417 Juniper Hollow Rd", "marmalade", "sessionid-value"]


class Collector(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.server.envelopes.append(body.decode())
        self.send_response(200)
        self.end_headers()

    def log_message(self, format, *args):
        pass


@pytest.fixture
def sentry():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    server.envelopes = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    errors.start(f"http://publickey@127.0.0.1:{server.server_port}/1", "test")
    yield server.envelopes
    sentry_sdk.init()  # no DSN: reporting off for the tests after this one
    server.shutdown()
    server.server_close()


def events(envelopes):
    found = []
    for envelope in envelopes:
        lines = envelope.splitlines()
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(payload))
    return found


# The database: every request with a session cookie loads the session
# (the second-factor check asks who is signed in).
@pytest.mark.django_db
@pytest.mark.urls("tests.operations.failing_urls")
def test_an_error_is_reported_without_personal_data(sentry):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "sessionid-value"
    response = client.post(
        "/fail/?email=zenobia.q@example.org",
        {"email": "zenobia.q@example.org", "street": "4417 Juniper Hollow Rd", "body": "marmalade"},
        headers={"X-Request-ID": "report-0001"},
    )
    assert response.status_code == 500
    sentry_sdk.flush(timeout=10)

    [event] = events(sentry)
    [exception] = event["exception"]["values"]
    assert exception["type"] == "LetterWentWrong"
    assert event["environment"] == "test"
    assert event["tags"]["request_id"] == "report-0001"  # as in the log lines
    everything = "\n".join(sentry)
    for secret in SECRETS:
        assert secret not in everything, f"{secret!r} was sent to Sentry"
