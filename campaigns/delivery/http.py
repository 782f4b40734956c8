"""One HTTP POST under a deadline for the whole exchange, over a connection
kept open for the next one.

requests' timeout (like urllib3's and the socket's) bounds each read, not
the exchange: a server that drips one byte every few seconds holds the
request as long as it likes, and a letter requeued meanwhile would be sent
twice at once. Here a timer shuts the socket down when the deadline passes,
which ends whatever read or write is waiting, wherever the exchange stands.
Redirects are not followed: the caller sees them as they are.

Each process keeps the connection of its last complete exchange with a
server (scheme, host, port) and sends its next POST there over it (HTTP/1.1
keep-alive), so a worker draining letters into CWC pays one TCP and TLS
handshake, not one per letter. Only a connection whose exchange finished in
time, was read to its end and was not ended by the server (`Connection:
close`, HTTP/1.0) is kept; one that was cut or failed is closed. A server
may close an idle connection whenever it likes (its keep-alive timeout),
which the next request learns only by failing before any answer comes
(the server hung up, reset the connection, or the write met a broken pipe):
that request is sent once more on a new connection, within the same
deadline. Sending it again is safe even if the server had read it: a
message with a DeliveryId CWC already has is answered 409, which counts as
delivered.
"""

import contextlib
import http.client
import os
import socket
import ssl
import threading
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

# CWC answers with a line or a short list of errors; more is not an answer.
MAX_ANSWER_BYTES = 1_000_000
# How a kept connection the server had closed meanwhile fails, before any answer.
GONE_STALE = (
    http.client.RemoteDisconnected,
    ConnectionResetError,
    ConnectionAbortedError,
    BrokenPipeError,
)

_kept = {}  # (scheme, host, port) -> the connection between two exchanges
_kept_lock = threading.Lock()
# A forked worker process must not share its parent's sockets.
os.register_at_fork(after_in_child=_kept.clear)


class DeadlineExceeded(Exception):
    """The exchange did not finish within its deadline."""


@dataclass(frozen=True)
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


def post(url, *, params, data, headers, timeout, deadline):
    """POST data to url?params; the Answer.

    timeout bounds connecting and each read; deadline (seconds) the whole
    exchange, raising DeadlineExceeded. Connection and protocol failures
    raise OSError (TimeoutError for a read that timed out) or
    http.client.HTTPException.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"Not an http(s) URL: {url}")
    server = (parts.scheme, parts.hostname, parts.port)
    request = ("POST", f"{parts.path or '/'}?{urlencode(params)}", data, headers)
    exchange = Exchange(deadline)
    try:
        kept = _take(server)
        if kept is not None:
            try:
                return exchange.run(kept, request, timeout, server, reused=True)
            except _Stale:
                pass  # closed by the server while idle: once more, on a new connection
        return exchange.run(_connection(parts, timeout), request, timeout, server)
    finally:
        exchange.end()


class _Stale(Exception):
    """A kept connection failed before any answer came: the server had closed it."""


class Exchange:
    """One request and its answer, cut at the deadline, on whichever
    connection it is being made."""

    def __init__(self, deadline):
        self.connection = None
        self.expired = False
        self.ended = False
        self.lock = threading.Lock()  # between the timer's cut and end()
        self.timer = threading.Timer(deadline, self.cut)
        self.timer.daemon = True
        self.timer.start()

    def cut(self):
        with self.lock:
            if self.ended:
                return
            self.expired = True
            if self.connection is not None and self.connection.sock is not None:
                with contextlib.suppress(OSError):  # closed already: nothing left to cut
                    self.connection.sock.shutdown(socket.SHUT_RDWR)

    def end(self):
        """No cut from here on; True if the deadline had passed."""
        with self.lock:
            self.ended = True
        self.timer.cancel()
        return self.expired

    def run(self, connection, request, timeout, server, *, reused=False):
        self.connection = connection
        keep = False
        try:
            if connection.sock is None:
                connection.connect()
            else:
                connection.sock.settimeout(timeout)
            if self.expired:  # the deadline passed while connecting
                raise DeadlineExceeded
            method, target, data, headers = request
            try:
                connection.request(method, target, body=data, headers=headers)
                response = connection.getresponse()
            except GONE_STALE as error:
                if reused and not self.expired:
                    raise _Stale from error
                raise
            body = response.read(MAX_ANSWER_BYTES)
            keep = response.isclosed() and not response.will_close
            if self.end():
                raise DeadlineExceeded
            return Answer(response.status, response.headers, body)
        except (OSError, http.client.HTTPException):
            if self.expired:
                raise DeadlineExceeded from None
            raise
        finally:
            if keep and not self.expired:
                _keep(server, connection)
            else:
                connection.close()


def _connection(parts, timeout):
    if parts.scheme == "https":
        # A context per connection, not per process: it reads the trusted
        # certificates (SSL_CERT_FILE) as they are now.
        context = ssl.create_default_context()
        return http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=context
        )
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)


def _take(server):
    with _kept_lock:
        return _kept.pop(server, None)


def _keep(server, connection):
    with _kept_lock:
        former = _kept.get(server)
        _kept[server] = connection
    if former is not None:  # another thread's, kept meanwhile: one is enough
        former.close()
