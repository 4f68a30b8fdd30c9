"""Which IP addresses the fetcher may connect to.

The check runs on the address a connection is actually made to (see sources/fetch.py),
so every spelling of a host (2130706433, 0x7f.1, 0177.0.0.1, 127.1, ::ffff:7f00:1 ...)
has already been turned into one address by the resolver. Python's `ipaddress` alone
is not enough: on 3.11 it calls 192.0.0.192 (cloud metadata), 224.0.0.1 (multicast),
::7f00:1 (IPv4-compatible loopback), 64:ff9b::7f00:1 (NAT64), 2002:7f00:1:: (6to4)
and fec0::1 (site-local) global. So we allow only what is positively public.
"""

import ipaddress
import socket
from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_V4_BLOCKED = {
    "0.0.0.0/8": "unspecified ('this network')",
    "10.0.0.0/8": "private",
    "100.64.0.0/10": "carrier-grade NAT (shared address space)",
    "127.0.0.0/8": "loopback",
    "169.254.0.0/16": "link-local (cloud metadata)",
    "172.16.0.0/12": "private",
    "192.0.0.0/24": "IETF protocol assignments (cloud metadata)",
    "192.0.2.0/24": "documentation",
    "192.88.99.0/24": "6to4 relay anycast",
    "192.168.0.0/16": "private",
    "198.18.0.0/15": "benchmarking",
    "198.51.100.0/24": "documentation",
    # Public addresses that clouds use for their own services inside a tenant's network.
    # Azure's WireServer (DNS, DHCP, VM agent, health probes), documented in "What is IP
    # address 168.63.129.16?" (learn.microsoft.com/azure/virtual-network/
    # what-is-ip-address-168-63-129-16).
    "168.63.129.16/32": "cloud platform service (Azure WireServer)",
    # IBM Cloud's service network (DNS, NTP, mirrors reached from every classic server),
    # documented under "IBM Cloud IP ranges: service network".
    "161.26.0.0/16": "cloud platform service (IBM Cloud service network)",
    "203.0.113.0/24": "documentation",
    "224.0.0.0/4": "multicast",
    "240.0.0.0/4": "reserved",
    "255.255.255.255/32": "broadcast",
}

# IPv6 forms that carry an IPv4 address. Mapped addresses are judged by the IPv4
# address inside; the translation and tunnel forms are refused whatever they carry,
# because the IPv4 host they reach is chosen by a gateway we cannot check.
_V6_TUNNELS = {
    "::/96": "IPv4-compatible (deprecated)",
    "64:ff9b::/96": "NAT64",
    "64:ff9b:1::/48": "local-use NAT64",
    "2002::/16": "6to4",
    "2001::/32": "Teredo",
}

_V6_BLOCKED = {
    "::1/128": "loopback",
    "100::/64": "discard-only",
    "2001::/23": "IETF protocol assignments",
    "2001:db8::/32": "documentation",
    "3fff::/20": "documentation",
    "5f00::/16": "segment routing",
    "fc00::/7": "unique local (private)",
    "fe80::/10": "link-local",
    "fec0::/10": "site-local (deprecated)",
    "ff00::/8": "multicast",
}

# Every public IPv6 unicast address is in 2000::/3; anything else is special.
_V6_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")


def _networks(table):
    return [(ipaddress.ip_network(net), why) for net, why in table.items()]


_V4 = _networks(_V4_BLOCKED)
_V6_TUNNEL_NETS = _networks(_V6_TUNNELS)
_V6 = _networks(_V6_BLOCKED)


def _embedded_ipv4(ip: ipaddress.IPv6Address, net: ipaddress.IPv6Network):
    """The IPv4 address a tunnel or translation form carries, for error messages."""
    value = int(ip)
    if net.prefixlen == 16:  # 6to4: 2002:AABB:CCDD::/48
        return ipaddress.IPv4Address((value >> 80) & 0xFFFFFFFF)
    if net.prefixlen == 32:  # Teredo: client address stored inverted in the low bits
        return ipaddress.IPv4Address(~value & 0xFFFFFFFF)
    return ipaddress.IPv4Address(value & 0xFFFFFFFF)


def forbidden_reason(ip: IPAddress) -> str | None:
    """Why connecting to `ip` is refused, or None when it is a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            reason = forbidden_reason(ip.ipv4_mapped)
            return f"IPv4-mapped {reason}" if reason else None
        if ip == ipaddress.IPv6Address("::"):
            return "unspecified"
        if ip.is_loopback:  # ::1 sits inside ::/96, so it is named before the tunnels
            return "loopback"
        for net, why in _V6_TUNNEL_NETS:
            if ip in net:
                return f"{why} address (carries {_embedded_ipv4(ip, net)})"
        for net, why in _V6:
            if ip in net:
                return why
        if ip not in _V6_GLOBAL_UNICAST or not ip.is_global:
            return "not a global unicast address"
        return None
    for net, why in _V4:
        if ip in net:
            return why
    if not ip.is_global or ip.is_multicast or ip.is_reserved:
        return "not a public address"
    return None


def parse_address(text: str) -> IPAddress:
    """An address as a resolver or urllib3 gives it: maybe bracketed, maybe with a scope."""
    return ipaddress.ip_address(text.strip("[]").split("%", 1)[0])


@lru_cache(maxsize=32)
def parse_allow_list(entries: tuple[str, ...]) -> frozenset[tuple[IPAddress, int]]:
    """FETCH_ALLOW_PRIVATE entries ("127.0.0.1:8001", "[::1]:8001", "localhost:8001") as
    (address, port) pairs. Only loopback servers may be exempted: the exemption exists for
    local test servers, never to open a path into a private network.
    """
    pairs = set()
    for entry in entries:
        host, sep, port = entry.rpartition(":")
        if not sep or not port.isdigit() or not host:
            raise ImproperlyConfigured(f"FETCH_ALLOW_PRIVATE entry {entry!r} is not host:port")
        host = host.strip("[]")
        try:
            addresses = {parse_address(host)}
        except ValueError:
            infos = socket.getaddrinfo(host, int(port), type=socket.SOCK_STREAM)
            addresses = {parse_address(info[4][0]) for info in infos}
        for address in addresses:
            if not address.is_loopback:
                raise ImproperlyConfigured(
                    f"FETCH_ALLOW_PRIVATE may only exempt loopback servers, not {entry!r}"
                )
            pairs.add((address, int(port)))
    return frozenset(pairs)
