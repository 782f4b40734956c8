"""Who may read /metrics: a bearer token, or an address in the allow-list."""

import hmac
import ipaddress
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def allowed_networks():
    try:
        return [
            ipaddress.ip_network(item, strict=False) for item in settings.METRICS_ALLOWED_NETWORKS
        ]
    except ValueError as error:
        raise ImproperlyConfigured(f"METRICS_ALLOWED_NETWORKS: {error}") from None


def may_read_metrics(request):
    token = settings.METRICS_TOKEN
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and offered and hmac.compare_digest(offered.encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in allowed_networks())
