"""The issuer's decentralised identifier: did:web, derived from the service's public address.

did:web (https://w3c-ccg.github.io/did-method-web/): the host, with a port's ``:``
percent-encoded as ``%3A``, then each path segment after a ``:``. ``did:web:example.org``
resolves to ``https://example.org/.well-known/did.json``; a DID with path segments resolves
to ``<path>/did.json`` instead, which a reverse proxy must map to ``/.well-known/did.json``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from cpl.settings import Settings

DID_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


def issuer_did(settings: Settings) -> str:
    """``did:web`` of ``settings.public_base_url`` (``http://localhost:8000`` → ``did:web:localhost%3A8000``)."""
    url = urlsplit(settings.public_base_url)
    if not url.hostname:
        raise ValueError(f"CPL_PUBLIC_BASE_URL must be an absolute URL, got {settings.public_base_url!r}")
    host = url.hostname.lower() + (f"%3A{url.port}" if url.port else "")
    segments = [quote(segment, safe="") for segment in url.path.split("/") if segment]
    return ":".join(["did:web", host, *segments])


def verification_method_id(settings: Settings, kid: str) -> str:
    return f"{issuer_did(settings)}#{kid}"


def did_document(settings: Settings, multikeys: list[tuple[str, str]]) -> dict[str, Any]:
    """The DID document: every key, current and retired, as a Multikey usable for assertions.

    Retired keys stay listed (and in ``assertionMethod``) so that credentials signed before a
    rotation still verify: rotation stops new signatures, it does not revoke old ones.
    """
    did = issuer_did(settings)
    methods = [
        {"id": f"{did}#{kid}", "type": "Multikey", "controller": did, "publicKeyMultibase": multibase}
        for kid, multibase in multikeys
    ]
    return {
        "@context": DID_CONTEXT,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }
