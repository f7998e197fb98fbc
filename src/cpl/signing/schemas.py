"""Bodies of the issuer-key routes. Private key material never appears in any of them."""

from __future__ import annotations

from msgspec import Struct


class IssuerKeyOut(Struct):
    """The key that signs from now on."""

    kid: str
    #: The DID URL credentials name in their proofs (``did:web:…#kid``).
    verification_method: str
    public_jwk: dict[str, str]
