"""A safety net: tests may connect only to loopback (127.0.0.0/8 and ::1).

Installed for the whole session by conftest. Whatever the code under test
believes, a connection to any other address fails the test loudly.
"""

import ipaddress
import socket

_original_connect = socket.socket.connect
_original_connect_ex = socket.socket.connect_ex


class ExternalConnectionError(AssertionError):
    pass


def _check(sock, address):
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return  # Unix sockets stay on this machine
    host = address[0]
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        raise ExternalConnectionError(
            f"test tried to connect to unresolved host {host!r}"
        ) from None
    if not ip.is_loopback:
        raise ExternalConnectionError(f"test tried to connect outside loopback: {address!r}")


def _guarded_connect(self, address):
    _check(self, address)
    return _original_connect(self, address)


def _guarded_connect_ex(self, address):
    _check(self, address)
    return _original_connect_ex(self, address)


def install():
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex


def installed():
    return socket.socket.connect is _guarded_connect
