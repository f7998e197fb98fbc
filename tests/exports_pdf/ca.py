"""A small certificate authority for tests: a root, an intermediate, and a document-signing
certificate, written as the PEM files a deployment configures (CPL_PDF_SIGNING_*_FILE)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

LEAF_NAME = "Example Health Board document signing"


@dataclass(frozen=True)
class DeploymentCertificates:
    root: x509.Certificate
    key_file: Path
    cert_file: Path
    chain_file: Path
    root_file: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(subject: str, key, issuer: str, issuer_key, *, ca: bool) -> x509.Certificate:
    now = datetime.now(UTC)
    usage = x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    )
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(*certificates: x509.Certificate) -> bytes:
    return b"".join(certificate.public_bytes(serialization.Encoding.PEM) for certificate in certificates)


def deployment_certificates(folder: Path) -> DeploymentCertificates:
    """Root (RSA) → intermediate (P-256) → signing certificate (P-256), as files in ``folder``."""
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    intermediate_key = ec.generate_private_key(ec.SECP256R1())
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    root = _certificate("Example Root CA", root_key, "Example Root CA", root_key, ca=True)
    intermediate = _certificate("Example Issuing CA", intermediate_key, "Example Root CA", root_key, ca=True)
    leaf = _certificate(LEAF_NAME, leaf_key, "Example Issuing CA", intermediate_key, ca=False)
    files = DeploymentCertificates(
        root=root,
        key_file=folder / "signing-key.pem",
        cert_file=folder / "signing-cert.pem",
        chain_file=folder / "chain.pem",
        root_file=folder / "root.pem",
    )
    files.key_file.write_bytes(
        leaf_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    files.cert_file.write_bytes(_pem(leaf))
    files.chain_file.write_bytes(_pem(intermediate))
    files.root_file.write_bytes(_pem(root))
    return files
