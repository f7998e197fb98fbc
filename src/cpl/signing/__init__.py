"""The issuer's Ed25519 keys: created or supplied, rotated, published (JWKS, did:web), used to sign."""

from cpl.signing.did import issuer_did
from cpl.signing.jws import JwsContent, open_jws, sign_jws, verify_jws
from cpl.signing.keys import Signer
from cpl.signing.routes import IssuerKeyController, WellKnownController
from cpl.signing.service import (
    active_signer,
    ensure_issuer_key,
    published_did_document,
    published_jwks,
    rotate_issuer_key,
    sign_payload,
)

__all__ = [
    "IssuerKeyController",
    "JwsContent",
    "Signer",
    "WellKnownController",
    "active_signer",
    "ensure_issuer_key",
    "issuer_did",
    "open_jws",
    "published_did_document",
    "published_jwks",
    "rotate_issuer_key",
    "sign_jws",
    "sign_payload",
    "verify_jws",
]
