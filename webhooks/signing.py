"""The signature on every webhook request, and its check (for receivers and tests).

The signed bytes are "<timestamp>.<body>": the timestamp is signed with the
body, so a captured request cannot be replayed later with a fresh one.
"""

import hashlib
import hmac
import time

TIMESTAMP = "X-Constituent-Timestamp"
SIGNATURE = "X-Constituent-Signature"
EVENT = "X-Constituent-Event"
EVENT_ID = "X-Constituent-Event-Id"
# A receiver refuses requests signed longer ago than this.
TOLERANCE_SECONDS = 300


def sign(secret, timestamp, body):
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def headers(secret, body, event, event_id, now=None):
    timestamp = str(int(now if now is not None else time.time()))
    return {
        "Content-Type": "application/json",
        "User-Agent": "Constituent-Webhooks/1",
        TIMESTAMP: timestamp,
        SIGNATURE: sign(secret, timestamp, body),
        EVENT: event,
        EVENT_ID: str(event_id),
    }


def verify(secret, body, timestamp, signature, now=None, tolerance=TOLERANCE_SECONDS):
    """True when `signature` signs this body at this timestamp, and the
    timestamp is recent."""
    try:
        age = (now if now is not None else time.time()) - int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(age) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature or "")
