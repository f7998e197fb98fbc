"""Who the client is: the TCP peer, or what a trusted reverse proxy says it forwarded.

``X-Forwarded-For`` is a list anyone can write; only the proxies cpl runs behind append to it
truthfully. So it is read only when the peer is one of ``CPL_TRUSTED_PROXIES`` (default: none),
and then from the right: the first address that is not itself a trusted proxy is the client
(the rightmost-untrusted rule; MDN "X-Forwarded-For: Selecting an IP address"). Uvicorn's
proxy-headers middleware applies the same rule to the same list (``cpl serve`` passes it
:func:`uvicorn_proxy_options`), and applying it twice gives the same answer, so the address is
right whether or not cpl runs under uvicorn.
"""

from __future__ import annotations

import ipaddress

from litestar.connection import ASGIConnection

from cpl.settings import Settings

UNKNOWN = "unknown"


def _host(hop: str) -> str:
    """The address of one ``X-Forwarded-For`` entry, without a port (``1.2.3.4:5678``, ``[::1]:80``)."""
    if hop.startswith("["):
        return hop[1:].partition("]")[0]
    return hop.partition(":")[0] if hop.count(":") == 1 else hop


def _is_trusted(address: str, settings: Settings) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in settings.trusted_proxy_networks)


def client_address(connection: ASGIConnection, settings: Settings) -> str:
    """The client's address, as throttles, share-link access records and sessions know it."""
    peer = connection.client.host if connection.client else ""
    if not peer or not _is_trusted(peer, settings):
        return peer or UNKNOWN
    values = connection.headers.getall("x-forwarded-for", [])
    hops = [_host(hop.strip()) for value in values for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, settings):
            return hop
    return hops[0] if hops else peer


def uvicorn_proxy_options(settings: Settings) -> dict[str, object]:
    """What uvicorn is told, so its ``X-Forwarded-Proto``/``-For`` handling trusts the same peers.

    Without them uvicorn believes 127.0.0.1 by default (``FORWARDED_ALLOW_IPS``).
    """
    networks = [str(network) for network in settings.trusted_proxy_networks]
    return {"proxy_headers": bool(networks), "forwarded_allow_ips": networks}
