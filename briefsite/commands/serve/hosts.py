"""The host names the preview answers to: a page on another site that points its own name at this machine
(DNS rebinding) gets 400, not the preview of an amber or red build.

An IP address cannot be rebound, a name can: so a name is answered only when it is the machine's own
(`localhost`, the name given to --host, the machine's name when serving on every interface) or one the
user listed with --allow-host.
"""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass
from ipaddress import ip_address

ALL_INTERFACES = ("", "0.0.0.0", "::")
LOOPBACK = ("127.0.0.1", "::1")
NAME = re.compile(r"(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*")


@dataclass(frozen=True)
class Hosts:
    """The names and addresses served on `port`; `any_address` when every interface is (any IP is then ours)."""

    names: tuple[str, ...]
    addresses: tuple[str, ...]
    any_address: bool
    port: int

    def allows(self, header: str) -> bool:
        """Whether a request whose Host header is `header` is for this server."""
        parsed = split_host(header)
        if parsed is None or parsed[1] not in (None, self.port):
            return False
        address = as_address(parsed[0])
        if address is None:
            return parsed[0] in self.names
        return self.any_address or address in self.addresses

    def refusal(self) -> str:
        """The text of the 400 page: which host names are served."""
        served = [f"[{a}]" if ":" in a else a for a in self.addresses] + list(self.names)
        if self.any_address:
            served.append("any IP address of this machine")
        listed = ", ".join(served[:-1]) + " and " + served[-1]
        return (f"400 Bad Request: this preview answers only to {listed}, on port {self.port}.\n"
                "To answer to another host name, start serve with --allow-host NAME.\n")


def served_hosts(host: str, bound: str, port: int, allowed: tuple[str, ...] = ()) -> Hosts:
    """The Hosts of a server started with --host `host`, bound to the address `bound` on `port`."""
    everywhere = host in ALL_INTERFACES
    names = ["localhost"]
    if everywhere:  # reached from the network by the machine's name, as `hugo server --bind 0.0.0.0` is
        mine = socket.gethostname().lower()
        names += [mine] + ([f"{mine}.local"] if "." not in mine else [])  # .local: its mDNS name
    if as_address(host) is None and host not in ALL_INTERFACES:
        names.append(host.lower())
    names += [name.lower() for name in allowed if as_address(name) is None]
    given = (host, bound, *allowed)
    addresses = list(LOOPBACK) + [a for a in map(as_address, given) if a and a not in ALL_INTERFACES]
    return Hosts(unique(names), unique(addresses), everywhere, port)


def host_name_problem(name: str) -> str | None:
    """Why `name` cannot be given to --allow-host, or None: a bare host name, no port, scheme or path."""
    if NAME.fullmatch(name.lower()) or as_address(name) is not None:
        return None
    return f"--allow-host: {name!r} is not a host name (give a name such as mybox.example, without port or scheme)"


def split_host(header: str) -> tuple[str, int | None] | None:
    """(host, port or None) of a Host header: `name`, `name:port`, `[v6]` or `[v6]:port`; None if malformed."""
    header = header.strip().lower()
    if header.startswith("["):
        host, bracket, rest = header[1:].partition("]")
        if not bracket or ":" not in host or (rest and not rest.startswith(":")):
            return None
        port = rest[1:] if rest else ""
    else:
        host, _, port = header.partition(":")
        if ":" in port:  # an IPv6 address without brackets: not a valid Host
            return None
    if not host or (port and not (port.isascii() and port.isdigit())):
        return None
    return host, int(port) if port else None


def as_address(host: str) -> str | None:
    """`host` as a normalised IP address ("::0:1" is "::1"), or None when it is a name."""
    try:
        return str(ip_address(host.strip("[]")))
    except ValueError:
        return None


def unique(items: list[str]) -> tuple[str, ...]:
    """The items once each, in their first order."""
    return tuple(dict.fromkeys(items))
