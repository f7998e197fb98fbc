"""The service's public address: every absolute URL cpl gives out is built on ``public_base_url``.

Never on the request's ``Host`` header, which the client chooses: ``Host: evil.example`` must not
turn an upload URL, a CASE URI or a link in an e-mail into one on evil.example (OWASP WSTG-INPV-17,
Host header injection). When ``CPL_PUBLIC_BASE_URL`` is not set, ``cpl serve`` takes the address
it binds (a loopback address is written ``localhost``), and it warns at start-up when the public
address cannot be the one served.
"""

from __future__ import annotations

import ipaddress
import logging
from urllib.parse import urlsplit

logger = logging.getLogger("cpl")

DEFAULT_PORTS = {"http": 80, "https": 443}
_ANY_ADDRESS = ("0.0.0.0", "::", "")


def is_local_host(host: str) -> bool:
    """``localhost``, ``*.localhost`` or a loopback address: browsers treat these as secure over HTTP."""
    host = host.strip().lower()
    if host.startswith("["):
        host = host[1:].partition("]")[0]
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def served_base_url(host: str, port: int) -> str:
    """The address of ``cpl serve --host HOST --port PORT`` as a browser on this machine writes it."""
    if is_local_host(host) or host in _ANY_ADDRESS:
        name = "localhost"
    else:
        name = f"[{host}]" if ":" in host else host
    return f"http://{name}:{port}"


def address_mismatch(public_base_url: str, host: str, port: int) -> str | None:
    """Why ``public_base_url`` cannot reach a service bound to ``host:port`` directly, or None.

    A public address on another host is taken to be a proxy in front, and is not second-guessed.
    """
    public = urlsplit(public_base_url)
    public_host = public.hostname or ""
    if not is_local_host(public_host):
        return None
    public_port = public.port or DEFAULT_PORTS.get(public.scheme, 0)
    if public_port != port:
        return f"it names port {public_port} on this machine, but cpl listens on port {port}"
    if not is_local_host(host):
        return f"cpl listens on {host} for other machines, which cannot reach {public_host}"
    return None


def warn_if_public_address_differs(public_base_url: str, host: str, port: int) -> None:
    """Log a warning at start-up when the public address does not lead to the address served."""
    reason = address_mismatch(public_base_url, host, port)
    if reason:
        logger.warning(
            "CPL_PUBLIC_BASE_URL is %s: %s. Upload URLs, verification links, QR codes and e-mails use it; "
            "set it to the address people reach cpl at.",
            public_base_url,
            reason,
        )
