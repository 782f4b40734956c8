"""The sites an organizer lets embed a campaign, written as web origins.

An origin is a scheme, a host and maybe a port (https://partner.org), the
unit browsers compare for frame-ancestors and postMessage. Only https, no
wildcards: a campaign embedded where its organizer did not look could be
framed to mislead its supporters. Plain http is accepted for loopback hosts
alone, so a partner page can be tried out on a developer's machine.
"""

import ipaddress
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ORIGINS = 20
MAX_ORIGIN_CHARS = 200
DEFAULT_PORTS = {"https": 443, "http": 80}
HOST = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalized(text):
    """The origin as browsers write it (lower case, no default port), or a
    ValidationError saying what is wrong with it."""
    value = text.strip().removesuffix("/")
    if "*" in value:
        raise ValidationError(
            _("“%(value)s”: wildcards are not allowed; list each site.") % {"value": value}
        )
    if len(value) > MAX_ORIGIN_CHARS:
        raise ValidationError(_("“%(value)s…” is too long.") % {"value": value[:40]})
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if (
        parts is None
        or parts.scheme not in DEFAULT_PORTS
        or not parts.hostname
        or parts.username is not None
        or parts.path
        or parts.query
        or parts.fragment
        or "?" in value
        or "#" in value
    ):
        raise ValidationError(
            _("“%(value)s” is not a site's origin: write it like https://partner.org.")
            % {"value": value}
        )
    host = parts.hostname
    bracketed = f"[{host}]" if ":" in host else host
    if not (is_loopback(host) or HOST.match(host)):
        raise ValidationError(_("“%(value)s” has no valid host name.") % {"value": value})
    if parts.scheme == "http" and not is_loopback(host):
        raise ValidationError(
            _("“%(value)s” must use https (plain http is allowed only for localhost).")
            % {"value": value}
        )
    if port is None or port == DEFAULT_PORTS[parts.scheme]:
        return f"{parts.scheme}://{bracketed}"
    return f"{parts.scheme}://{bracketed}:{port}"


def parse(text):
    """The origins in text (one per line, or separated by spaces or commas),
    normalized and without repeats; every mistake reported at once."""
    origins, errors = [], []
    for item in re.split(r"[\s,]+", text.strip()):
        if not item:
            continue
        try:
            origin = normalized(item)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        if origin not in origins:
            origins.append(origin)
    if len(origins) > MAX_ORIGINS:
        errors.append(_("List at most %(count)d sites.") % {"count": MAX_ORIGINS})
    if errors:
        raise ValidationError(errors)
    return origins


def validate_embed_origins(value):
    """The model's check, for lists that did not come through the form."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError(_("Give the sites as a list of origins."))
    if parse(" ".join(value)) != value:
        raise ValidationError(_("Write each site once, like https://partner.org."))


def origin_of(url):
    """The embedding origin a URL (a Referer, the script's data) names, or ""
    when it names none that could be listed."""
    try:
        parts = urlsplit(url or "")
        return normalized(f"{parts.scheme}://{parts.netloc}") if parts.netloc else ""
    except (ValidationError, ValueError):
        return ""


def host_of(origin):
    """What a source column records for an origin: its host and any port."""
    return urlsplit(origin).netloc
