"""Which IP addresses a fetch on an organizer's behalf may reach: public ones only.

Python's `is_global` leaves out multicast, and the IPv6 forms that carry an
IPv4 address (mapped ::ffff:a.b.c.d, the deprecated compatible ::a.b.c.d,
6to4 2002::/16, NAT64 64:ff9b::/96) are judged by the IPv4 address inside,
since that is where a packet to them may end up.
"""

import ipaddress

NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# IETF protocol assignments, which older Pythons count as global past /29;
# its only global members are anycast services no release lives on.
PROTOCOL_ASSIGNMENTS = ipaddress.IPv4Network("192.0.0.0/24")


def is_public(address: str) -> bool:
    """True only for a globally routable unicast address (a scope id is ignored)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6 and (inner := _embedded_ipv4(ip)) is not None:
        return _public(inner)
    return _public(ip)


def _public(ip):
    return ip.is_global and not (
        (ip.version == 4 and ip in PROTOCOL_ASSIGNMENTS)
        or ip.is_multicast
        or ip.is_private
        or ip.is_reserved
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_unspecified
    )


def _embedded_ipv4(ip):
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if int(ip) >> 32 == 0:  # ::a.b.c.d, ::1 and :: among them
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None
