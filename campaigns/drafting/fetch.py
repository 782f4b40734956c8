"""Fetch a press release from its web address and keep only its text.

The address comes from an organizer, so the fetch must not become a way to
read our own network (server-side request forgery). For every hop, the
redirects included, we resolve the name ourselves, refuse it unless every
address it resolves to is public (addresses.py) and its port is the
scheme's default, then connect to exactly the address we checked, with the
name kept for the Host header and for TLS (SNI and certificate check), so a
second DNS answer cannot swap in another machine. Names in
RELEASE_FETCH_ALLOWED_HOSTS skip the address and port check, for tests and
development.

The whole fetch, redirects and reads together, has one deadline: a watchdog
shuts the socket when it passes, so a server dripping a byte at a time is cut
off too, and the body is cut off past MAX_BYTES. HTML is reduced to the
article's main text with trafilatura (one paragraph per line); plain text is
returned as it came. Every failure is a ReleaseFetchError whose message an
organizer can act on; an address we refuse and one we cannot reach get the
same message, so the form tells nothing about our network.
"""

import contextlib
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

import requests.certs
import trafilatura
from django.conf import settings

from campaigns.drafting.addresses import is_public

TIMEOUT = 10  # seconds any one connect or read may wait
DEADLINE = 30  # seconds for the whole fetch, redirects included
MAX_REDIRECTS = 5
MAX_BYTES = 2 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
USER_AGENT = "Constituent/0.1 (advocacy campaign tool; fetches a press release once)"
HTML_TYPES = {"text/html", "application/xhtml+xml"}
DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECTS = {301, 302, 303, 307, 308}

UNREACHABLE = "We could not fetch that address. Check it, or paste the release text instead."
TOO_SLOW = "That page took too long to answer. Paste the release text instead."


class ReleaseFetchError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def fetch_release_text(url: str) -> str:
    """The readable text of the release at url."""
    with Deadline(DEADLINE) as deadline:
        for _hop in range(MAX_REDIRECTS + 1):
            target = Target.parse(url)
            answer = _get(target, deadline)
            if answer.location is None:
                return _readable_text(answer)
            url = urljoin(url, answer.location)
    raise ReleaseFetchError("That address redirects too many times.")


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str

    @classmethod
    def parse(cls, url):
        parts = urlsplit(url.strip())
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            raise ReleaseFetchError("Give a web address that starts with http:// or https://.")
        try:
            port = parts.port or DEFAULT_PORTS[parts.scheme]
        except ValueError:
            raise ReleaseFetchError(UNREACHABLE) from None
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return cls(parts.scheme, parts.hostname, port, path)

    @property
    def allowed_anywhere(self):
        return self.host.lower() in {host.lower() for host in settings.RELEASE_FETCH_ALLOWED_HOSTS}

    def addresses(self):
        """The (family, socket address) pairs to connect to, every one of them checked."""
        if not self.allowed_anywhere and self.port != DEFAULT_PORTS[self.scheme]:
            raise ReleaseFetchError(UNREACHABLE)
        try:
            found = socket.getaddrinfo(self.host, self.port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise ReleaseFetchError(UNREACHABLE) from None
        addresses = [(family, sockaddr) for family, _type, _proto, _name, sockaddr in found]
        if not addresses:
            raise ReleaseFetchError(UNREACHABLE)
        # All or nothing: a name that also resolves to an inner address is refused.
        if not self.allowed_anywhere and not all(is_public(addr[0]) for _f, addr in addresses):
            raise ReleaseFetchError(UNREACHABLE)
        return addresses


@dataclass
class Answer:
    status: int
    media_type: str = ""
    charset: str | None = None
    body: bytes = b""
    location: str | None = None


class Deadline:
    """One wall-clock limit for a fetch: when it passes, every socket it
    watches is shut down, which wakes any read blocked on it."""

    def __init__(self, seconds):
        self.ends = time.monotonic() + seconds
        self.expired = False
        self.sockets = []
        self.lock = threading.Lock()
        self.timer = threading.Timer(seconds, self.expire)
        self.timer.daemon = True

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc):
        self.timer.cancel()

    def remaining(self):
        return max(0.01, self.ends - time.monotonic())

    def watch(self, sock):
        with self.lock:
            self.sockets.append(sock)
            if self.expired:
                _shut(sock)

    def expire(self):
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                _shut(sock)


def _shut(sock):
    # Not connected yet, or closed already: either way it reads nothing more.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class PinnedConnection(http.client.HTTPConnection):
    """HTTP(S) to one address already checked, not to whatever the name
    resolves to now; the name still goes in the Host header and TLS."""

    tls = ssl.create_default_context(cafile=requests.certs.where())

    def __init__(self, target, address, deadline):
        super().__init__(target.host, target.port, timeout=min(TIMEOUT, deadline.remaining()))
        self.target = target
        self.address = address
        self.deadline = deadline

    def connect(self):
        family, sockaddr = self.address
        sock = socket.socket(family, socket.SOCK_STREAM)
        self.deadline.watch(sock)
        sock.settimeout(self.timeout)
        try:
            sock.connect(sockaddr)
            if self.target.scheme == "https":
                sock = self.tls.wrap_socket(sock, server_hostname=self.target.host)
        except BaseException:
            sock.close()
            raise
        self.sock = sock


def _timed_out(error, deadline):
    """The socket's own timeout is set to what remains of the deadline, so it
    can fire a moment before the deadline's timer: both mean too slow."""
    return deadline.expired or isinstance(error, TimeoutError)


def _get(target, deadline):
    slow = False
    for address in target.addresses():
        connection = PinnedConnection(target, address, deadline)
        try:
            connection.connect()
        except OSError as error:
            slow = slow or _timed_out(error, deadline)
            connection.close()
            continue
        try:
            return _exchange(connection, target, deadline)
        finally:
            connection.close()
    raise ReleaseFetchError(TOO_SLOW if slow or deadline.expired else UNREACHABLE)


def _exchange(connection, target, deadline):
    try:
        connection.request(
            "GET",
            target.path,
            headers={"User-Agent": USER_AGENT, "Accept": "text/html, text/plain;q=0.9"},
        )
        response = connection.getresponse()
    except (OSError, http.client.HTTPException) as error:
        raise ReleaseFetchError(TOO_SLOW if _timed_out(error, deadline) else UNREACHABLE) from None
    if response.status in REDIRECTS and response.getheader("Location"):
        return Answer(response.status, location=response.getheader("Location"))
    if response.status >= 300:
        reason = response.reason or "an error"
        raise ReleaseFetchError(f"That address returned {response.status} {reason}.")
    media_type, charset = _content_type(response.getheader("Content-Type", ""))
    if media_type not in HTML_TYPES and media_type != "text/plain":
        raise ReleaseFetchError(
            f"That address is not a web page (it sends {media_type or 'an unknown type'}). "
            "Paste the release text instead."
        )
    return Answer(response.status, media_type, charset, _read_capped(response, deadline))


def _read_capped(response, deadline):
    declared = response.getheader("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise _too_large()
    body = bytearray()
    try:
        while chunk := response.read1(CHUNK_BYTES):
            body.extend(chunk)
            if len(body) > MAX_BYTES:
                raise _too_large()
    except (OSError, http.client.HTTPException) as error:
        if _timed_out(error, deadline):
            raise ReleaseFetchError(TOO_SLOW) from None
        raise ReleaseFetchError("The connection broke while we read that page.") from None
    if deadline.expired:
        # The watchdog's shutdown reads as an early end of the page.
        raise ReleaseFetchError(TOO_SLOW)
    return bytes(body)


def _readable_text(answer):
    if answer.media_type == "text/plain":
        text = answer.body.decode(answer.charset or "utf-8", errors="replace")
    else:
        # Bytes, not str: trafilatura reads the page's own <meta charset>.
        text = trafilatura.extract(
            answer.body, include_comments=False, include_tables=False, favor_recall=True
        )
    if not text or not text.strip():
        raise ReleaseFetchError("That page has no text we could read.")
    return text.strip()


def _content_type(header):
    message = Message()
    message["Content-Type"] = header
    media_type = message.get_content_type() if header else ""
    return media_type, message.get_content_charset()


def _too_large():
    megabytes = MAX_BYTES // (1024 * 1024)
    return ReleaseFetchError(
        f"That page is larger than {megabytes} MB. Paste the release text instead."
    )
