"""Compact JWS (RFC 7515) with EdDSA over Ed25519 (RFC 8037), and nothing else.

Hand-written on ``cryptography`` rather than through a JOSE library: only one algorithm is
ever accepted (no ``none``, no HMAC-with-public-key confusion), the ``kid`` names a DID
verification method that has to be looked up by its fragment, and JOSE libraries now flag
``EdDSA`` as deprecated in favour of RFC 9864's ``Ed25519`` name that verifiers of the
VC-JOSE-COSE era do not all accept yet.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cpl.errors import MalformedRequest, SignatureInvalid
from cpl.kernel.json_depth import loads_json
from cpl.signing.keys import Signer, b64url, b64url_decode, check_signature, key_from_jwks

ALGORITHM = "EdDSA"


@dataclass(frozen=True)
class JwsContent:
    header: dict[str, Any]
    payload: bytes


def sign_jws(signer: Signer, payload: bytes, typ: str, **header: str) -> str:
    """``header.payload.signature`` with ``alg`` EdDSA and ``kid`` the signer's verification method."""
    protected = {"alg": ALGORITHM, "kid": signer.verification_method, "typ": typ, **header}
    signing_input = b64url(json.dumps(protected, separators=(",", ":")).encode()) + "." + b64url(payload)
    return signing_input + "." + b64url(signer.sign(signing_input.encode("ascii")))


def open_jws(token: str, jwks: dict) -> JwsContent:
    """The verified header and payload of ``token``; :class:`SignatureInvalid` on any failure."""
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3:
        raise SignatureInvalid("Not a compact JWS (three dot-separated parts).")
    try:
        header = loads_json(b64url_decode(parts[0]), "The JWS header")
    except (ValueError, MalformedRequest) as error:
        raise SignatureInvalid("The JWS header is not JSON, or nests too deeply.") from error
    if not isinstance(header, dict) or header.get("alg") != ALGORITHM:
        raise SignatureInvalid(f"Only alg {ALGORITHM} is accepted.")
    if "crit" in header:
        raise SignatureInvalid("The JWS names critical extensions this verifier does not implement.")
    if not isinstance(header.get("kid"), str):
        raise SignatureInvalid("The JWS header names no key (kid).")
    payload, signature = b64url_decode(parts[1]), b64url_decode(parts[2])
    check_signature(key_from_jwks(jwks, header["kid"]), signature, f"{parts[0]}.{parts[1]}".encode("ascii"))
    return JwsContent(header=header, payload=payload)


def verify_jws(token: str, jwks: dict) -> bytes:
    """The payload of ``token`` once its EdDSA signature verifies against a key of ``jwks``."""
    return open_jws(token, jwks).payload
