"""Where cpl may send a push: only to addresses on the public internet.

A push endpoint comes from a browser, so from whoever holds an account: cpl must not be made to
post into its own network (a cloud's metadata service at 169.254.169.254, the database, an admin
port). A host is judged by the addresses it resolves to, not by how it is written: ``127.1``,
``0x7f.0.0.1`` and a DNS name pointing at 10.0.0.5 all reach private addresses.

It is checked when a device subscribes (a clear 422) and again before every push, because a
name's DNS answers change. A name that changes its answer between that check and the push's own
connection (DNS rebinding within seconds) is not caught; cpl's egress firewall is the place for
that. ``push_allow_insecure_endpoints`` (tests, local development) lifts the rule.
"""

from __future__ import annotations

import ipaddress
import socket


def non_public_address(host: str) -> str | None:
    """The first address ``host`` resolves to that is not on the public internet, or None.

    A name that does not resolve gives None: its push fails and is retried like any unreachable
    push service."""
    try:
        found = socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None
    for *_, socket_address in found:
        address = ipaddress.ip_address(str(socket_address[0]).split("%", 1)[0])
        if address.version == 6 and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if not address.is_global:
            return str(address)
    return None
