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

It can also misbehave the ways a wrong endpoint or a broken proxy does:
answer every message with a redirect (`redirect = (302, location)`, before
reading anything), or record the message and answer some other status than
201 (`status = 200`). And it can drip: record a new message, then send the
answer one byte every `drip` seconds (for the fraction `drip_rate` of new
messages), the way a stalled proxy holds a client whose per-read timeout
never fires. It notes a DeliveryId that arrives while an earlier request
with the same id is still being answered ("overlaps"): a letter sent twice
at once, which a lease shorter than the attempt deadline would cause.

It knows which offices are enrolled when given `offices` (a set of codes):
it serves them as the chambers publish them, GET /offices?apikey=… (the
House codes, a JSON list) and GET /active_offices?apikey=… (the Senate codes,
as SOAPBox lists them: objects with an office_code), and answers 400 to a
message whose MemberOffice is not among them ("refused").

It speaks HTTP/1.1 and keeps connections open between requests, as a
real server does, counting the connections it accepted (`connections`), so
a test can see a client reuse one; `hang_up = True` makes it close each
connection after its answer without saying so (no `Connection: close`), as
a server whose keep-alive timeout passed does to an idle client.

And it keeps a maintenance window (`maintenance = (start, end)`, aware
datetimes read against `clock`, which a test may replace): inside it every
message is answered 503 with a maintenance notice, and nothing is recorded.
"""

import argparse
import json
import random
import select
import socket
import ssl
import sys
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from lxml import etree
from lxml.builder import E

API_KEY = "test-key"
MAINTENANCE_NOTICE = "CWC is down for scheduled maintenance; please try again after the window."


class CwcServer:
    def __init__(
        self,
        *,
        api_key=API_KEY,
        fail_rate=0.0,
        seed=0,
        delay=0.0,
        reject=None,
        drip=0.0,
        drip_rate=1.0,
        host="127.0.0.1",
        offices=None,
    ):
        self.api_key = api_key
        self.fail_rate = fail_rate
        self.delay = delay
        self.reject = reject  # a list of error messages to answer every message with
        self.redirect = None  # (status, location) to answer every message with
        self.status = None  # the status to answer an accepted new message with, if not 201
        self.drip = drip  # seconds between bytes of the answer to a new message
        self.drip_rate = drip_rate
        self.in_flight = []  # DeliveryIds whose answer is being written
        self.overlaps = []  # DeliveryIds that arrived while already in flight
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.received = []  # accepted DeliveryIds, in order
        self.repeats = []  # DeliveryIds answered with 409
        self.requests = 0
        self.connections = 0  # TCP connections accepted
        self.hang_up = False  # close each connection after its answer, unannounced
        self.offices = offices  # enrolled MemberOffice codes; None: every office
        self.refused = []  # DeliveryIds answered 400 for an office not enrolled
        self.maintenance = None  # (start, end): answer 503 between them
        self.clock = lambda: datetime.now(UTC)
        self.in_maintenance = 0  # messages answered with the maintenance notice
        self.httpd = Server((host, 0), Handler)
        self.httpd.cwc = self
        self.scheme = "http"
        self.thread = None

    @property
    def url(self):
        host, port = self.httpd.server_address
        return f"{self.scheme}://{host}:{port}"

    def use_tls(self, certfile, keyfile):
        """Answer over HTTPS with this certificate, as the real CWC does."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certfile, keyfile)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.scheme = "https"
        return self

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
        """(status, XML body, seconds between bytes) for one request."""
        # Imported here: run as a subprocess, this module sets Django up first.
        from campaigns.delivery.channels.cwc import schema

        with self.lock:
            self.requests += 1
            failing = self.random.random() < self.fail_rate
        if self.maintenance and self.maintenance[0] <= self.clock() < self.maintenance[1]:
            with self.lock:
                self.in_maintenance += 1
            return 503, errors(MAINTENANCE_NOTICE), 0
        if query.get("apikey") != [self.api_key]:
            return 401, errors("Invalid API key"), 0
        if content_type.split(";")[0].strip() != "application/xml":
            return 415, errors("Content-Type must be application/xml"), 0
        if failing:
            return 503, errors("Service temporarily unavailable"), 0
        problems = self.reject or schema.validate(body)
        if problems:
            return 400, errors(*problems), 0
        if path == "/v2/validate":
            return 200, b"<Success/>", 0
        delivery_id = etree.fromstring(body).findtext("Delivery/DeliveryId").strip()
        office = etree.fromstring(body).findtext("Recipient/MemberOffice").strip()
        if self.offices is not None and office not in self.offices:
            with self.lock:
                self.refused.append(delivery_id)
            return 400, errors(f"MemberOffice {office} is not an active office"), 0
        with self.lock:
            repeat = delivery_id in self.received
            (self.repeats if repeat else self.received).append(delivery_id)
            dripping = self.drip and not repeat and self.random.random() < self.drip_rate
        if self.delay:
            time.sleep(self.delay)
        if repeat:
            return 409, errors(f"Duplicate DeliveryId {delivery_id}"), 0
        return self.status or 201, b"<Success/>", self.drip if dripping else 0

    def answering(self, delivery_id):
        """Note a request for delivery_id being answered; False if one already was."""
        with self.lock:
            overlap = delivery_id in self.in_flight
            if overlap:
                self.overlaps.append(delivery_id)
            self.in_flight.append(delivery_id)
        return not overlap

    def answered(self, delivery_id):
        with self.lock:
            self.in_flight.remove(delivery_id)

    def snapshot(self):
        with self.lock:
            return {
                "received": list(self.received),
                "repeats": list(self.repeats),
                "requests": self.requests,
                "connections": self.connections,
                "overlaps": list(self.overlaps),
                "refused": list(self.refused),
                "in_maintenance": self.in_maintenance,
            }

    def office_list(self, path, query):
        """(status, JSON body) for GET /offices or /active_offices."""
        if query.get("apikey") != [self.api_key]:
            return 401, b'{"error": "Invalid API key"}'
        if path == "/active_offices":
            codes = sorted(code for code in self.offices or () if code.startswith("S"))
            return 200, json.dumps([{"office_code": code} for code in codes]).encode()
        codes = sorted(code for code in self.offices or () if code.startswith("H"))
        return 200, json.dumps(codes).encode()


def delivery_id_in(body):
    """The message's DeliveryId, or its whole body when it has none."""
    try:
        return etree.fromstring(body).findtext("Delivery/DeliveryId").strip()
    except (etree.XMLSyntaxError, AttributeError):
        return body


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
    protocol_version = "HTTP/1.1"  # keep-alive: a connection serves request after request
    # The headers and the body go out in two writes. Without TCP_NODELAY the
    # body of every answer after a connection's first few waits for the
    # client's delayed ACK of the headers (40 ms on Linux), as it would not
    # from a production server (nginx and gunicorn set TCP_NODELAY).
    disable_nagle_algorithm = True
    timeout = 30  # an idle kept connection is closed after this, as real servers do

    def setup(self):
        super().setup()
        with self.server.cwc.lock:
            self.server.cwc.connections += 1

    def do_POST(self):
        parts = urlsplit(self.path)
        if parts.path not in ("/v2/message", "/v2/validate"):
            return self.reply(404, b"<Errors><Error>Not found</Error></Errors>")
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        cwc = self.server.cwc
        if redirect := cwc.redirect:
            status, location = redirect
            # The body is left unread, so this connection can serve nothing more.
            return self.reply(status, b"", headers={"Location": location, "Connection": "close"})
        delivery_id = delivery_id_in(body)
        cwc.answering(delivery_id)
        try:
            status, answer, drip = cwc.answer(
                parts.path, parse_qs(parts.query), self.headers.get("Content-Type", ""), body
            )
            if drip:
                self.drip(status, answer, drip)
            else:
                self.reply(status, answer)
        finally:
            cwc.answered(delivery_id)

    def drip(self, status, body, seconds):
        """The whole answer, status line first, one byte at a time."""
        self.close_connection = True  # a client that waited this long is not sent more
        answer = (
            f"HTTP/1.1 {status} Created\r\nContent-Type: application/xml\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode() + body
        for byte in answer:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            if self.client_hung_up(within=seconds):
                return  # the client gave up: this exchange is over

    def client_hung_up(self, *, within):
        """Wait `within` seconds, or until the client closes its end (True).

        So a request counts as in flight for exactly as long as the client
        waits for it, not until the next byte fails to go out.
        """
        readable, _, _ = select.select([self.connection], [], [], within)
        if not readable:
            return False
        try:
            if self.connection.recv(1, socket.MSG_PEEK) == b"":
                return True
        except OSError:
            return True
        time.sleep(within)  # more from the client, which this protocol never sends
        return False

    def do_GET(self):
        parts = urlsplit(self.path)
        if parts.path in ("/offices", "/active_offices"):
            status, body = self.server.cwc.office_list(parts.path, parse_qs(parts.query))
            return self.reply(status, body, "application/json")
        if self.path != "/received":
            return self.reply(404, b"")
        self.reply(200, json.dumps(self.server.cwc.snapshot()).encode(), "application/json")

    def reply(self, status, body, content_type="application/xml", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        if self.server.cwc.hang_up:
            self.close_connection = True

    def log_message(self, format, *args):
        pass  # a thousand requests would drown the test output


def main():
    import django

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fail-rate", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--drip", type=float, default=0.0)
    parser.add_argument("--drip-rate", type=float, default=1.0)
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on")
    parser.add_argument(
        "--offices", help="a file of enrolled office codes, one per line (default: every office)"
    )
    options = parser.parse_args()
    django.setup()  # the validator lives in the project
    server = CwcServer(
        fail_rate=options.fail_rate,
        seed=options.seed,
        delay=options.delay,
        drip=options.drip,
        drip_rate=options.drip_rate,
        host=options.host,
        offices=set(Path(options.offices).read_text().split()) if options.offices else None,
    )
    print(server.url, flush=True)
    server.httpd.serve_forever()


if __name__ == "__main__":
    main()
