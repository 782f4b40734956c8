"""Communicating With Congress 2.0: letters to House and Senate offices as XML.

Each chamber has its own endpoint and API key. An answer maps onto our
DeliveryError like this: 201 Created is the one success the protocol
defines; 409 means the office already has this DeliveryId, i.e. an earlier
attempt got through and its answer was lost, so it counts as delivered
(this is what makes at-least-once sending arrive exactly once); 400 is a
rejection of this message, for good; 429, 5xx, time-outs and connection
errors pass, and so does an exchange that outlasts DELIVERY_ATTEMPT_SECONDS
(delivery.http cuts it there, however slowly the answer drips). Redirects are
never followed (a client would turn a 301-303 POST into a GET, and hand a
307/308 POST, API key and all, to whatever host it names): a redirect or any
other 2xx means the URL we were given is not CWC's, so the letter waits, with
the reason, for someone to fix the setting. Every answer is kept with the
letter (Accepted.answer, DeliveryError.answer), so "sent" and "rejected"
show what CWC said. Before sending, pauses.check holds the letter back during
the chamber's maintenance windows and past its rate limit.
"""

from http.client import HTTPException
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from lxml import etree

from campaigns.delivery import http, pauses
from campaigns.delivery.channels.cwc import message, schema
from campaigns.delivery.errors import DeliveryError
from campaigns.delivery.registry import Accepted
from offices import routes

MAX_BODY_CHARS = 500


def accepts(letter):
    """Only offices the chamber's list enrols (the office directory)."""
    return letter.legislator_id is not None and routes.cwc_code(letter.legislator) is not None


def document(letter, *, checked=True):
    """The XML for this letter, checked against CWC's schema before anyone sees it."""
    xml = message.build(letter)
    if checked and (errors := schema.validate(xml)):
        raise DeliveryError("The message breaks CWC's rules: " + " ".join(errors), permanent=True)
    return xml


def endpoint(chamber):
    """(base URL, API key) for "house" or "senate"."""
    name = "CWC_SENATE" if chamber == "senate" else "CWC_HOUSE"
    url = getattr(settings, f"{name}_URL")
    if not url:
        raise DeliveryError(
            f"{name}_URL is not set, so CWC cannot reach this office.", permanent=True
        )
    return url.rstrip("/"), getattr(settings, f"{name}_API_KEY")


def send(letter):
    xml = document(letter)
    chamber = letter.legislator.chamber
    url, key = endpoint(chamber)
    pauses.check(f"cwc-{chamber}", per_second=settings.CWC_RATE_PER_SECOND, rate_key=url)
    timeout, deadline = settings.CWC_TIMEOUT, settings.DELIVERY_ATTEMPT_SECONDS
    try:
        response = http.post(
            f"{url}/v2/message",
            params={"apikey": key},
            data=xml,
            headers={"Content-Type": "application/xml"},
            timeout=min(timeout, deadline),
            deadline=deadline,
        )
    except http.DeadlineExceeded:
        raise DeliveryError(f"CWC did not finish answering within {deadline:g} seconds.") from None
    except TimeoutError:
        raise DeliveryError(f"CWC did not answer within {timeout:g} seconds.") from None
    except (OSError, HTTPException) as error:
        raise DeliveryError(f"Could not reach CWC: {error}") from None
    return read_answer(response, delivery_id=letter.uuid.hex)


def read_answer(response, *, delivery_id):
    """Accepted for a message CWC took, or the DeliveryError the answer means;
    either way carrying the answer itself (status and the start of the body)."""
    status = response.status
    answer = f"HTTP {status}: {_truncate(response.text)}".strip().rstrip(":")
    if status == 201:
        return Accepted(delivery_id, answer)
    if status == 409:
        return Accepted(delivery_id, f"{answer} (CWC had this DeliveryId from an earlier attempt)")
    if 300 <= status < 400:
        location = without_api_key(response.headers.get("Location", "(no Location given)"))
        raise DeliveryError(
            f"CWC answered HTTP {status}, a redirect to {location}; check CWC_*_URL.",
            answer=f"HTTP {status}, Location: {location}",
        )
    if 200 <= status < 300:
        raise DeliveryError(
            f"CWC answered HTTP {status}, not 201 Created, so the message may not have "
            f"arrived; check CWC_*_URL. {_truncate(response.text)}".strip(),
            answer=answer,
        )
    if status == 400:
        raise DeliveryError(
            f"CWC rejected the message (HTTP 400): {error_messages(response.body)}",
            permanent=True,
            answer=answer,
        )
    if status in (401, 403):
        # Our key, not the letter: fixing the setting lets the retries through,
        # where failing for good would fail a whole campaign's letters.
        raise DeliveryError(
            f"CWC refused our API key (HTTP {status}); check CWC_*_API_KEY.", answer=answer
        )
    if status == 429 or status >= 500:
        # The body says why (CWC's maintenance notice, for one): staff see it.
        raise DeliveryError(
            f"CWC is unavailable for now (HTTP {status}): {error_messages(response.body)}",
            answer=answer,
        )
    raise DeliveryError(
        f"CWC answered HTTP {status}: {_truncate(response.text)}", permanent=True, answer=answer
    )


def without_api_key(url):
    """The URL with any apikey value masked: a redirect may echo ours back."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    query = [
        (name, "***" if name.lower() == "apikey" else value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return parts._replace(query=urlencode(query, safe="*")).geturl()


def error_messages(body):
    """The text of every <Error> in a CWC error body, or the body itself."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        root = None
    errors = [] if root is None else [" ".join(e.itertext()).strip() for e in root.iter("Error")]
    if errors := [error for error in errors if error]:
        return "; ".join(errors)
    return _truncate(body.decode("utf-8", "replace")) or "(no explanation given)"


def _truncate(text):
    text = text.strip()
    return text if len(text) <= MAX_BODY_CHARS else text[:MAX_BODY_CHARS] + "…"
