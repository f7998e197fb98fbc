"""A deployment's own signing certificate and chain (CPL_PDF_SIGNING_KEY_FILE, _CERT_FILE,
_CHAIN_FILE): used when set, embedded with its chain, trusted through the deployment's root."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.x509.oid import NameOID
from pydantic import ValidationError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from cpl.exports.pdf import configured_identity, render_portfolio, sign_pdf, signing_identity, verify_pdf
from cpl.settings import Settings
from tests.exports_pdf.ca import LEAF_NAME, DeploymentCertificates, deployment_certificates
from tests.exports_pdf.records import EXPORT_ID, VERIFY_URL, entry, make_record
from tests.exports_pdf.test_signature import _signer


@pytest.fixture
def certificates(tmp_path: Path) -> DeploymentCertificates:
    return deployment_certificates(tmp_path)


def _settings(files: DeploymentCertificates) -> Settings:
    return Settings(
        pdf_signing_key_file=files.key_file,
        pdf_signing_cert_file=files.cert_file,
        pdf_signing_chain_file=files.chain_file,
    )


@pytest.fixture
def signed(tmp_path: Path, certificates: DeploymentCertificates) -> Path:
    out = tmp_path / "portfolio.pdf"
    render_portfolio(make_record([entry(1)]), VERIFY_URL, out, {})
    sign_pdf(out, signing_identity(_settings(certificates), _signer()), f"Export {EXPORT_ID}")
    return out


def test_the_configured_certificate_signs_with_its_chain_embedded(signed: Path, certificates) -> None:
    root = asn1_x509.Certificate.load(certificates.root.public_bytes(serialization.Encoding.DER))
    with signed.open("rb") as pdf:
        signature = PdfFileReader(pdf).embedded_signatures[0]
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert signature.signer_cert.subject.native["common_name"] == LEAF_NAME
    path = [
        certificate.subject.native["common_name"]
        for certificate in status.validation_path.iter_certs(include_root=True)
    ]
    assert path == ["Example Root CA", "Example Issuing CA", LEAF_NAME]


def test_verify_pdf_trusts_the_deployment_root_only_when_given(signed: Path, certificates) -> None:
    trusted = verify_pdf(signed, {"keys": []}, [certificates.root])
    assert (trusted.valid, trusted.export_id, trusted.reasons) == (True, EXPORT_ID, [])
    untrusted = verify_pdf(signed, {"keys": []})
    assert untrusted.reasons == [
        "the signing certificate is neither issued by a key the issuer publishes nor by a trusted root"
    ]


def test_pdfsig_reads_the_deployment_signature(signed: Path) -> None:
    report = subprocess.run(["pdfsig", str(signed)], capture_output=True, text=True, check=True).stdout
    assert "Signature Validation: Signature is Valid." in report
    assert f"Signer Certificate Common Name: {LEAF_NAME}" in report


def test_a_certificate_for_another_key_is_refused(certificates, tmp_path: Path) -> None:
    (tmp_path / "other").mkdir()
    other = deployment_certificates(tmp_path / "other")
    settings = Settings(pdf_signing_key_file=certificates.key_file, pdf_signing_cert_file=other.cert_file)
    with pytest.raises(ValueError, match="is not the certificate of CPL_PDF_SIGNING_KEY_FILE's key"):
        configured_identity(settings)


def test_without_settings_no_certificate_is_configured() -> None:
    assert configured_identity(Settings()) is None


@pytest.mark.parametrize("field", ["pdf_signing_key_file", "pdf_signing_cert_file", "pdf_signing_chain_file"])
def test_the_signing_files_are_set_together(field: str, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="CPL_PDF_SIGNING"):
        Settings(**{field: tmp_path / "file.pem"})


def test_an_eddsa_key_is_refused_for_pdfs(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "EdDSA signer")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, None)
    )
    key_file, cert_file = tmp_path / "key.pem", tmp_path / "cert.pem"
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    with pytest.raises(ValueError, match="must hold an ECDSA or RSA key"):
        configured_identity(Settings(pdf_signing_key_file=key_file, pdf_signing_cert_file=cert_file))
