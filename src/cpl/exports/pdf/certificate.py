"""The key and X.509 certificate a portfolio's PDF signature is made with.

Why not the issuer's Ed25519 key itself: PDF 2.0 allows EdDSA (ISO 32002), but common
readers do not check it. Measured here: Debian 12's ``pdfsig`` (poppler 22.12, NSS 3.87)
answers "Document isn't signed or corrupted data" for a pyHanko Ed25519 signature and
"Signature is Valid" for ECDSA P-256; Adobe Acrobat is reported not to validate Ed25519 PDF
signatures either (not checked here: no Acrobat on this machine). So credentials stay
Ed25519 and PDFs are signed with ECDSA P-256, which PAdES readers check (ETSI TS 119 312
lists it).

By default (no settings) the P-256 key and its certificate come from the issuer's key:

- The key is derived from the issuer's Ed25519 private key: HKDF-SHA256 (RFC 5869) with a
  label of its own, 48 bytes reduced to a scalar as FIPS 186-5 A.4.1 ("extra random bits")
  does. Nothing new is stored; every process derives the same key, and rotating the issuer
  key rotates it too.
- The certificate is *issued by the issuer's Ed25519 key*: its issuer name carries the
  key's ``kid`` (the thumbprint in hex as the ``serialNumber`` attribute, which must be a
  PrintableString, RFC 5280 Appendix A), so a verifier holding the published JWKS
  knows which key must have signed it (:func:`issuer_anchor`). It is deterministic (fixed
  serial, validity and EdDSA's deterministic signature): a reader told to trust it once
  trusts every portfolio signed under the same issuer key. It has no expiry
  (``99991231235959Z``, RFC 5280 §4.1.2.5): rotation, not expiry, ends a key's use.

A deployment with its own certificate (from a CA readers already trust) sets
``CPL_PDF_SIGNING_KEY_FILE`` (PKCS#8 PEM) and ``CPL_PDF_SIGNING_CERT_FILE`` (PEM), and
``CPL_PDF_SIGNING_CHAIN_FILE`` (PEM, the intermediates up to the root) when there is a chain.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509.oid import NameOID
from pyhanko_certvalidator.authority import NamedKeyAuthority, TrustAnchor

from cpl.settings import Settings
from cpl.signing import Signer
from cpl.signing.keys import b64url, b64url_decode

_DERIVATION_LABEL = b"cpl PDF signing key, ECDSA P-256, v1"
#: The order of P-256's base point (FIPS 186-5, SEC 2 §2.4.2).
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
_NOT_BEFORE = datetime(2025, 1, 1, tzinfo=UTC)
_NO_EXPIRY = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)


@dataclass(frozen=True)
class SigningIdentity:
    """What signs a PDF: the private key, its certificate, and the certificates between it
    and a root (embedded in the signature so a reader can build the path)."""

    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey = field(repr=False)
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()


def derived_pdf_key(issuer_key: Ed25519PrivateKey) -> ec.EllipticCurvePrivateKey:
    """The P-256 key that signs PDFs under ``issuer_key`` (same input, same key)."""
    seed = issuer_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    extra_bits = HKDF(algorithm=hashes.SHA256(), length=48, salt=None, info=_DERIVATION_LABEL).derive(seed)
    scalar = int.from_bytes(extra_bits, "big") % (_P256_ORDER - 1) + 1
    return ec.derive_private_key(scalar, ec.SECP256R1())


def issuer_name(service_name: str, kid: str) -> x509.Name:
    """The certificate's issuer: the service, and which of its published keys signed it."""
    thumbprint = b64url_decode(kid).hex()
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, service_name[:64]),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, thumbprint),
        ]
    )


def _self_issued(settings: Settings, signer: Signer, key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, settings.service_name[:64]),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "PDF portfolios"),
        ]
    )
    serial = int.from_bytes(hashlib.sha256(b"cpl PDF certificate " + signer.kid.encode()).digest()[:19], "big") >> 1
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name(settings.service_name, signer.kid))
        .public_key(key.public_key())
        .serial_number(serial or 1)
        .not_valid_before(_NOT_BEFORE)
        .not_valid_after(_NO_EXPIRY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.SubjectAlternativeName([x509.UniformResourceIdentifier(settings.public_base_url)]), critical=False
        )
    )
    return builder.sign(signer.private_key, None)


def _pem_certificates(path: Path) -> list[x509.Certificate]:
    certificates = x509.load_pem_x509_certificates(path.read_bytes())
    if not certificates:
        raise ValueError(f"{path} holds no PEM certificate")
    return certificates


def configured_identity(settings: Settings) -> SigningIdentity | None:
    """The deployment's own key, certificate and chain, when settings name them (blocking:
    reads files). Raises ValueError when they are unreadable or do not belong together."""
    if settings.pdf_signing_key_file is None or settings.pdf_signing_cert_file is None:
        return None
    key = serialization.load_pem_private_key(settings.pdf_signing_key_file.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise ValueError("CPL_PDF_SIGNING_KEY_FILE must hold an ECDSA or RSA key: PDF readers do not check others")
    certificate = _pem_certificates(settings.pdf_signing_cert_file)[0]
    if certificate.public_key() != key.public_key():
        raise ValueError("CPL_PDF_SIGNING_CERT_FILE is not the certificate of CPL_PDF_SIGNING_KEY_FILE's key")
    chain = tuple(_pem_certificates(settings.pdf_signing_chain_file)) if settings.pdf_signing_chain_file else ()
    return SigningIdentity(key=key, certificate=certificate, chain=chain)


def signing_identity(settings: Settings, signer: Signer) -> SigningIdentity:
    """The configured identity, or the one derived from the issuer's current key (blocking)."""
    configured = configured_identity(settings)
    if configured is not None:
        return configured
    key = derived_pdf_key(signer.private_key)
    return SigningIdentity(key=key, certificate=_self_issued(settings, signer, key))


def issuer_anchor(certificate: asn1_x509.Certificate, issuer_key: Ed25519PublicKey) -> TrustAnchor:
    """A trust anchor for a self-issued certificate: the published Ed25519 key it names,
    under the certificate's own issuer name (the trust is in the key, not the name)."""
    public = asn1_keys.PublicKeyInfo.load(
        issuer_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return TrustAnchor(NamedKeyAuthority(certificate.issuer, public))


def issuer_kid(certificate: asn1_x509.Certificate) -> str | None:
    """The ``kid`` a self-issued certificate's issuer name carries, if it has one."""
    value = certificate.issuer.native.get("serial_number")
    try:
        return b64url(bytes.fromhex(value)) if isinstance(value, str) else None
    except ValueError:
        return None
