"""Where a webhook may point: a public host, never this machine or its
network (a URL is the organizer's, but the request leaves from our servers).

The URL's host is resolved and every address must be global; the request
then goes to the name, so a DNS answer that changes between the check and
the connection could still reach inside. The check runs at registration
and before every attempt, which narrows that window.
"""

import socket
from urllib.parse import urlsplit

from django.conf import settings

from campaigns.drafting.addresses import is_public


class UnsafeUrl(Exception):
    pass


def check_url(url):
    """Raise UnsafeUrl with a reason the organizer can act on."""
    parts = urlsplit(url)
    allow_private = settings.WEBHOOK_ALLOW_PRIVATE_URLS
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise UnsafeUrl("The URL must start with https://.")
    if not parts.hostname:
        raise UnsafeUrl("The URL has no host name.")
    if parts.username or parts.password:
        raise UnsafeUrl("Put no user name or password in the URL; we sign each request instead.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeUrl("The URL's port is not a number between 0 and 65535.") from None
    if allow_private:
        return
    try:
        found = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise UnsafeUrl(f"{parts.hostname} does not resolve to an address.") from None
    # The same rule as the release fetch's: IPv6 forms judged by the IPv4 inside.
    for *_rest, (address, *_port) in found:
        if not is_public(address):
            raise UnsafeUrl(
                f"{parts.hostname} resolves to {address}, which is not a public address."
            )
