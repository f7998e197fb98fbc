"""Ed25519 keys in the forms verifiers read them: JWK (RFC 8037), Multikey (base58btc multibase).

Pure functions, no database: the issuer's stored keys and whoever verifies an export use the
same encodings.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from cpl.errors import SignatureInvalid

#: Multicodec ``ed25519-pub`` (0xed) as an unsigned varint, prefixed to a Multikey's public key
#: (https://www.w3.org/TR/controller-document/#Multikey; multiformats multicodec table).
ED25519_PUB_MULTICODEC = b"\xed\x01"


def b64url(data: bytes) -> str:
    """Base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict inverse of :func:`b64url`: padding, white space or foreign characters are refused."""
    if "=" in text or not text.isascii():
        raise SignatureInvalid("Not base64url: padding or non-ASCII characters.")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as error:
        raise SignatureInvalid("Not base64url.") from error


def multibase_base58btc(data: bytes) -> str:
    """Multibase base58btc: the ``z`` header then Bitcoin-alphabet base58."""
    return "z" + base58.b58encode(data).decode("ascii")


def from_multibase_base58btc(text: str) -> bytes:
    if not text.startswith("z"):
        raise SignatureInvalid("Not a base58btc multibase value (it must start with 'z').")
    try:
        return base58.b58decode(text[1:])
    except ValueError as error:
        raise SignatureInvalid("Not a base58btc multibase value.") from error


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_multibase(key: Ed25519PublicKey) -> str:
    """A Multikey ``publicKeyMultibase``: base58btc of 0xed01 followed by the 32 key bytes."""
    return multibase_base58btc(ED25519_PUB_MULTICODEC + raw_public_key(key))


def jwk_thumbprint(key: Ed25519PublicKey) -> str:
    """The key's RFC 7638 thumbprint (SHA-256 of the required members in lexical order): its ``kid``.

    Derived from the key alone, so the same key always has the same id, in every process.
    """
    members = {"crv": "Ed25519", "kty": "OKP", "x": b64url(raw_public_key(key))}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return b64url(hashlib.sha256(canonical).digest())


def public_jwk(key: Ed25519PublicKey, kid: str) -> dict[str, str]:
    """The public JWK (RFC 8037 §2) published in the issuer's JWKS, under ``kid``.

    The issuer publishes each key under its DID URL (``did:web:…#<thumbprint>``), the id the
    DID document gives it and the ``kid`` every JWS header names: a verifier finds the key by
    exact match in either document (``jose.createLocalJWKSet`` compares ``kid`` exactly).
    """
    x = b64url(raw_public_key(key))
    return {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "alg": "EdDSA", "use": "sig"}


def private_key_pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


def load_private_key_pem(pem: bytes) -> Ed25519PrivateKey:
    """An Ed25519 private key from unencrypted PKCS#8 PEM; any other key type is refused."""
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the issuer key must be an Ed25519 private key (PKCS#8 PEM)")
    return key


def key_from_jwks(jwks: dict, kid_or_method: str) -> Ed25519PublicKey:
    """The Ed25519 key a JWKS publishes under ``kid``, compared by the thumbprint after any ``#``.

    JWKS files saved before keys were published under their DID URL list the bare thumbprint;
    comparing fragments reads both.
    """
    kid = kid_or_method.rpartition("#")[2]
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    for jwk in keys if isinstance(keys, list) else []:
        if isinstance(jwk, dict) and isinstance(jwk.get("kid"), str) and jwk["kid"].rpartition("#")[2] == kid:
            if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or not isinstance(jwk.get("x"), str):
                raise SignatureInvalid(f"Key {kid} is not an Ed25519 key.")
            raw = b64url_decode(jwk["x"])
            if len(raw) != 32:
                raise SignatureInvalid(f"Key {kid} is not a 32-byte Ed25519 public key.")
            return Ed25519PublicKey.from_public_bytes(raw)
    raise SignatureInvalid(f"The issuer publishes no key {kid!r}.")


def check_signature(key: Ed25519PublicKey, signature: bytes, data: bytes) -> None:
    try:
        key.verify(signature, data)
    except InvalidSignature as error:
        raise SignatureInvalid("The signature does not match the signed content.") from error


@dataclass(frozen=True)
class Signer:
    """The issuer's current key, ready to sign; its private half never leaves the process."""

    kid: str
    verification_method: str
    public_jwk: dict[str, str]
    private_key: Ed25519PrivateKey = field(repr=False)

    def sign(self, data: bytes) -> bytes:
        """A pure Ed25519 signature (RFC 8032) of ``data``."""
        return self.private_key.sign(data)
