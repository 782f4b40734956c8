"""A local stand-in for the CWC 2.0 API (House or Senate), on 127.0.0.1.

It answers POST /v2/message and /v2/validate the way the real service is
documented to: 401 without the right API key, 415 without an XML content
type, 400 with <Errors><Error>...</Error></Errors> for a message that breaks
CWC's schema (checked with our own validator), 201 for a new DeliveryId and
409 for one it already has. It records every DeliveryId it accepts, so a test
can count deliveries at the receiving end, and it can be told to misbehave:
fail a fraction of requests with 503 (from a seeded RNG), reject everything
with a given 400 message, or answer slowly (after recording the message, like
a server whose answer is lost).

In-process: `with CwcServer(...) as server: server.url`. As a subprocess (for
a worker process to reach): `python -m tests.support.cwc_server --fail-rate
0.3`, which prints its URL on the first line; GET /received returns what it
recorded, as JSON.
"""

import argparse
import json
import random
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from lxml import etree
from lxml.builder import E

API_KEY = "test-key"


class CwcServer:
    def __init__(
        self, *, api_key=API_KEY, fail_rate=0.0, seed=0, delay=0.0, reject=None, host="127.0.0.1"
    ):
        self.api_key = api_key
        self.fail_rate = fail_rate
        self.delay = delay
        self.reject = reject  # a list of error messages to answer every message with
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.received = []  # accepted DeliveryIds, in order
        self.repeats = []  # DeliveryIds answered with 409
        self.requests = 0
        self.httpd = Server((host, 0), Handler)
        self.httpd.cwc = self
        self.thread = None

    @property
    def url(self):
        host, port = self.httpd.server_address
        return f"http://{host}:{port}"

    def __enter__(self):
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()

    def answer(self, path, query, content_type, body):
        """(status, XML body) for one request."""
        # Imported here: run as a subprocess, this module sets Django up first.
        from campaigns.delivery.channels.cwc import schema

        with self.lock:
            self.requests += 1
            failing = self.random.random() < self.fail_rate
        if query.get("apikey") != [self.api_key]:
            return 401, errors("Invalid API key")
        if content_type.split(";")[0].strip() != "application/xml":
            return 415, errors("Content-Type must be application/xml")
        if failing:
            return 503, errors("Service temporarily unavailable")
        problems = self.reject or schema.validate(body)
        if problems:
            return 400, errors(*problems)
        if path == "/v2/validate":
            return 200, b"<Success/>"
        delivery_id = etree.fromstring(body).findtext("Delivery/DeliveryId").strip()
        with self.lock:
            repeat = delivery_id in self.received
            (self.repeats if repeat else self.received).append(delivery_id)
        if self.delay:
            time.sleep(self.delay)
        if repeat:
            return 409, errors(f"Duplicate DeliveryId {delivery_id}")
        return 201, b"<Success/>"

    def snapshot(self):
        with self.lock:
            return {
                "received": list(self.received),
                "repeats": list(self.repeats),
                "requests": self.requests,
            }


def errors(*messages):
    return etree.tostring(E.Errors(*[E.Error(message) for message in messages]))


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that gave up waiting (the slow-server tests) closes its
        # end before the answer; anything else is worth the traceback.
        if not isinstance(sys.exception(), ConnectionError):
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        parts = urlsplit(self.path)
        if parts.path not in ("/v2/message", "/v2/validate"):
            return self.reply(404, b"<Errors><Error>Not found</Error></Errors>")
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status, answer = self.server.cwc.answer(
            parts.path, parse_qs(parts.query), self.headers.get("Content-Type", ""), body
        )
        self.reply(status, answer)

    def do_GET(self):
        if self.path != "/received":
            return self.reply(404, b"")
        self.reply(200, json.dumps(self.server.cwc.snapshot()).encode(), "application/json")

    def reply(self, status, body, content_type="application/xml"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass  # a thousand requests would drown the test output


def main():
    import django

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fail-rate", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    options = parser.parse_args()
    django.setup()  # the validator lives in the project
    server = CwcServer(
        fail_rate=options.fail_rate, seed=options.seed, delay=options.delay, host=options.host
    )
    print(server.url, flush=True)
    server.httpd.serve_forever()


if __name__ == "__main__":
    main()
