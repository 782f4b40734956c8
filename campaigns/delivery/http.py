"""One HTTP POST under a deadline for the whole exchange.

requests' timeout (like urllib3's and the socket's) bounds each read, not
the exchange: a server that drips one byte every few seconds holds the
request as long as it likes, and a letter requeued meanwhile would be sent
twice at once. Here a timer shuts the socket down when the deadline passes,
which ends whatever read or write is waiting, wherever the exchange stands.
Redirects are not followed: the caller sees them as they are.
"""

import contextlib
import http.client
import socket
import ssl
import threading
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

# CWC answers with a line or a short list of errors; more is not an answer.
MAX_ANSWER_BYTES = 1_000_000


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
    target = f"{parts.path or '/'}?{urlencode(params)}"
    if parts.scheme == "https":
        context = ssl.create_default_context()
        connection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=context
        )
    elif parts.scheme == "http":
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    else:
        raise ValueError(f"Not an http(s) URL: {url}")

    expired = threading.Event()

    def cut():
        expired.set()
        if connection.sock is not None:
            with contextlib.suppress(OSError):  # closed already: nothing left to cut
                connection.sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(deadline, cut)
    timer.daemon = True
    timer.start()
    try:
        connection.connect()
        if expired.is_set():  # the deadline passed while connecting
            raise DeadlineExceeded
        connection.request("POST", target, body=data, headers=headers)
        response = connection.getresponse()
        body = response.read(MAX_ANSWER_BYTES)
        if expired.is_set():
            raise DeadlineExceeded
        return Answer(response.status, response.headers, body)
    except (OSError, http.client.HTTPException):
        if expired.is_set():
            raise DeadlineExceeded from None
        raise
    finally:
        timer.cancel()
        connection.close()
