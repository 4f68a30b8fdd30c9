"""Public names without the public internet: a resolver stub and a connection router.

`FakeNet` maps host names to the addresses a test chooses (a list of answers is used one
lookup at a time, to play DNS rebinding) and routes connections for chosen public
(address, port) pairs to a loopback server. It wraps, never replaces, the loopback-only
guard of tests/netguard.py: every connect still goes through it, so a connection to an
unrouted outside address fails the test. Names it does not know are resolved only as
numeric addresses or from /etc/hosts (no DNS query ever leaves the machine).
"""

import ipaddress
import socket


class FakeNet:
    def __init__(self, monkeypatch):
        self.answers = {}
        self.routes = {}
        self.lookups = []  # host names looked up, in order
        self.connects = []  # (address, port) every connect was asked for, before routing
        self._getaddrinfo = socket.getaddrinfo
        self._connect = socket.socket.connect
        monkeypatch.setattr(socket, "getaddrinfo", self.getaddrinfo)
        monkeypatch.setattr(socket.socket, "connect", self._make_connect())

    def resolve(self, name, *addresses):
        """Answer lookups of `name` with `addresses` in turn (the last one repeats)."""
        self.answers[name.lower()] = list(addresses)

    def route(self, address, port, site):
        """Send connections for the public (address, port) to a loopback test server."""
        self.routes[(address, port)] = (site.host, site.port)

    def connected_to(self, address):
        return [c for c in self.connects if c[0] == address]

    def getaddrinfo(self, host, port, family=0, type=0, proto=0, flags=0):
        name = host.decode() if isinstance(host, bytes) else str(host)
        self.lookups.append(name)
        answers = self.answers.get(name.lower().rstrip("."))
        if answers is None and name.lower() in ("localhost", "localhost."):
            return self._getaddrinfo(host, port, family, type, proto, flags)  # /etc/hosts
        if answers is None:
            return self._getaddrinfo(host, port, family, type, proto, flags | socket.AI_NUMERICHOST)
        address = answers.pop(0) if len(answers) > 1 else answers[0]
        ip = ipaddress.ip_address(address)
        af = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
        sockaddr = (address, int(port or 0)) + ((0, 0) if ip.version == 6 else ())
        return [(af, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr)]

    def _make_connect(self):
        net, guarded = self, self._connect

        def connect(sock, address):
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                net.connects.append((address[0], address[1]))
                target = net.routes.get((address[0], address[1]))
                if target is not None:
                    address = target + address[2:] if sock.family == socket.AF_INET6 else target
            return guarded(sock, address)

        return connect
