"""Fetch a press release from its web address and keep only its text.

One HTTP GET with a connect and read timeout, streamed and cut off past
MAX_BYTES so a huge or endless page cannot tie up a worker. HTML is reduced
to the article's main text with trafilatura (menus, footers and comments
dropped, one paragraph per line); plain text is returned as it came.
Every failure is a ReleaseFetchError whose message an organizer can act on.
"""

from email.message import Message
from urllib.parse import urlsplit

import requests
import trafilatura

TIMEOUT = (5, 20)  # seconds to connect, seconds between bytes
MAX_BYTES = 2 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
USER_AGENT = "Constituent/0.1 (advocacy campaign tool; fetches a press release once)"
HTML_TYPES = {"text/html", "application/xhtml+xml"}


class ReleaseFetchError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def fetch_release_text(url: str) -> str:
    """The readable text of the release at url."""
    _check_address(url)
    try:
        response = requests.get(
            url,
            timeout=TIMEOUT,
            stream=True,
            headers={"User-Agent": USER_AGENT, "Accept": "text/html, text/plain;q=0.9"},
        )
    except requests.Timeout as error:
        raise ReleaseFetchError("That page took too long to answer.") from error
    except requests.TooManyRedirects as error:
        raise ReleaseFetchError("That address redirects too many times.") from error
    except requests.ConnectionError as error:
        raise ReleaseFetchError(
            "We could not connect to that address. Check it, or paste the release text instead."
        ) from error
    except requests.RequestException as error:
        raise ReleaseFetchError(f"We could not fetch that address ({error}).") from error
    with response:
        if response.status_code >= 400:
            reason = response.reason or "an error"
            raise ReleaseFetchError(f"That address returned {response.status_code} {reason}.")
        media_type, charset = _content_type(response.headers.get("Content-Type", ""))
        if media_type not in HTML_TYPES and media_type != "text/plain":
            raise ReleaseFetchError(
                f"That address is not a web page (it sends {media_type or 'an unknown type'}). "
                "Paste the release text instead."
            )
        body = _read_capped(response)
    if media_type == "text/plain":
        text = body.decode(charset or "utf-8", errors="replace")
    else:
        # Bytes, not str: trafilatura reads the page's own <meta charset>.
        text = trafilatura.extract(
            body, include_comments=False, include_tables=False, favor_recall=True
        )
    if not text or not text.strip():
        raise ReleaseFetchError("That page has no text we could read.")
    return text.strip()


def _check_address(url):
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ReleaseFetchError("Give a web address that starts with http:// or https://.")


def _content_type(header):
    message = Message()
    message["Content-Type"] = header
    media_type = message.get_content_type() if header else ""
    return media_type, message.get_content_charset()


def _read_capped(response):
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise _too_large()
    body = bytearray()
    try:
        for chunk in response.iter_content(CHUNK_BYTES):
            body.extend(chunk)
            if len(body) > MAX_BYTES:
                raise _too_large()
    except requests.Timeout as error:
        raise ReleaseFetchError("That page took too long to answer.") from error
    except requests.RequestException as error:
        raise ReleaseFetchError("The connection broke while we read that page.") from error
    return bytes(body)


def _too_large():
    megabytes = MAX_BYTES // (1024 * 1024)
    return ReleaseFetchError(
        f"That page is larger than {megabytes} MB. Paste the release text instead."
    )
