"""The portfolio's PAdES signature, made with the issuer's real key (cpl.signing) and checked by
implementations cpl did not write: pyHanko's validator and poppler's ``pdfsig``; then through
``verify_pdf``, what ``cpl verify`` says."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyhanko.pdf_utils.generic import NameObject, pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.authority import NamedKeyAuthority, TrustAnchor

from cpl.exports.pdf import render_portfolio, sign_pdf, signing_identity, verify_pdf
from cpl.settings import Settings
from cpl.signing import Signer
from cpl.signing.keys import jwk_thumbprint, public_jwk
from tests.exports_pdf.records import EXPORT_ID, VERIFY_URL, entry, make_record

SETTINGS = Settings(service_name="Test Issuer", public_base_url="https://cpl.example")


def _signer() -> Signer:
    key = Ed25519PrivateKey.generate()
    kid = jwk_thumbprint(key.public_key())
    return Signer(
        kid=kid,
        verification_method=f"did:web:cpl.example#{kid}",
        public_jwk=public_jwk(key.public_key(), f"did:web:cpl.example#{kid}"),
        private_key=key,
    )


@pytest.fixture(scope="module")
def signer() -> Signer:
    return _signer()


@pytest.fixture(scope="module")
def jwks(signer: Signer) -> dict:
    return {"keys": [signer.public_jwk]}


@pytest.fixture
def unsigned(tmp_path: Path) -> Path:
    out = tmp_path / "portfolio.pdf"
    render_portfolio(make_record([entry(1), entry(2)]), VERIFY_URL, out, {})
    return out


@pytest.fixture
def signed(unsigned: Path, signer: Signer) -> Path:
    sign_pdf(unsigned, signing_identity(SETTINGS, signer), f"Export {EXPORT_ID}")
    return unsigned


def _pyhanko_status(path: Path, trust_roots: list):
    """pyHanko's own verdict, its trust anchor built here from the published Ed25519 key."""
    with path.open("rb") as pdf:
        signature = PdfFileReader(pdf).embedded_signatures[0]
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=trust_roots))
        return signature, status


def _issuer_anchor(path: Path, signer: Signer) -> TrustAnchor:
    with path.open("rb") as pdf:
        certificate = PdfFileReader(pdf).embedded_signatures[0].signer_cert
    public = signer.private_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return TrustAnchor(NamedKeyAuthority(certificate.issuer, asn1_keys.PublicKeyInfo.load(public)))


def _pdfsig(path: Path) -> str:
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout


def _flip(path: Path, position: int) -> None:
    data = bytearray(path.read_bytes())
    data[position] ^= 0x01
    path.write_bytes(bytes(data))


def test_pyhanko_validates_a_pades_signature_trusted_through_the_issuer_key(signed: Path, signer: Signer) -> None:
    signature, status = _pyhanko_status(signed, [_issuer_anchor(signed, signer)])
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert status.md_algorithm == "sha256"
    signed_attributes = {attr["type"].native for attr in signature.signer_info["signed_attrs"]}
    assert {"content_type", "message_digest", "signing_certificate_v2"} <= signed_attributes


def test_the_certificate_is_issued_by_the_published_ed25519_key(signed: Path, signer: Signer) -> None:
    with signed.open("rb") as pdf:
        der = PdfFileReader(pdf).embedded_signatures[0].signer_cert.dump()
    certificate = x509.load_der_x509_certificate(der)
    signer.private_key.public_key().verify(certificate.signature, certificate.tbs_certificate_bytes)
    assert certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == "Test Issuer"
    assert certificate.not_valid_after_utc.year == 9999
    again = signing_identity(SETTINGS, signer).certificate
    assert again.public_bytes(serialization.Encoding.DER) == der, "one certificate per issuer key"


def test_pdfsig_shows_the_document_signed_and_whole(signed: Path) -> None:
    report = _pdfsig(signed)
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    assert "Signer Certificate Common Name: Test Issuer" in report
    assert "Signature Type: ETSI.CAdES.detached" in report


def test_a_signed_portfolio_verifies_offline(signed: Path, jwks: dict) -> None:
    check = verify_pdf(signed, jwks)
    assert (check.valid, check.export_id, check.reasons) == (True, EXPORT_ID, [])
    assert check.signer == "Test Issuer"


@pytest.mark.parametrize("where", ["header", "info dictionary", "page content"])
def test_a_changed_byte_is_caught_by_every_checker(signed: Path, signer: Signer, jwks: dict, where: str) -> None:
    data = signed.read_bytes()
    position = {"header": 5, "info dictionary": data.index(b"/CplExportId") + 20, "page content": 2000}[where]
    _flip(signed, position)
    _, status = _pyhanko_status(signed, [_issuer_anchor(signed, signer)])
    assert status.intact is False
    assert "Signature Validation: Digest Mismatch." in _pdfsig(signed)
    check = verify_pdf(signed, jwks)
    assert (check.valid, check.reasons) == (False, ["the file has changed since it was signed"])


def test_a_changed_signature_value_is_caught(signed: Path, jwks: dict) -> None:
    with signed.open("rb") as pdf:
        signature = PdfFileReader(pdf).embedded_signatures[0]
        start = signature.byte_range[1] + 1  # the hex string of /Contents starts after its '<'
        value = signature.signer_info["signature"].native
    data = signed.read_bytes()
    offset = data.lower().index(value.hex().encode(), start) + 3
    data = data[:offset] + (b"0" if data[offset : offset + 1] != b"0" else b"1") + data[offset + 1 :]
    signed.write_bytes(data)
    _, status = _pyhanko_status(signed, [])
    assert (status.intact, status.valid) == (True, False)
    assert "Signature Validation: Signature is Invalid." in _pdfsig(signed)
    check = verify_pdf(signed, jwks)
    assert (check.valid, check.reasons) == (False, ["the signature does not match the signing certificate"])


def test_a_signature_under_another_issuer_key_is_not_trusted(unsigned: Path, jwks: dict) -> None:
    sign_pdf(unsigned, signing_identity(SETTINGS, _signer()), "forged")
    check = verify_pdf(unsigned, jwks)
    assert check.valid is False
    assert check.reasons == [
        "the signing certificate is neither issued by a key the issuer publishes nor by a trusted root"
    ]


def test_an_update_appended_after_signing_is_caught(signed: Path, jwks: dict) -> None:
    with signed.open("r+b") as pdf:
        writer = IncrementalPdfFileWriter(pdf)
        writer.root[NameObject("/Lang")] = pdf_string("fr")
        writer.update_root()
        writer.write_in_place()
    check = verify_pdf(signed, jwks)
    assert (check.valid, check.reasons) == (False, ["something was added to the file after it was signed"])


def test_an_unsigned_pdf_is_not_valid(unsigned: Path, jwks: dict) -> None:
    check = verify_pdf(unsigned, jwks)
    assert (check.valid, check.export_id, check.reasons) == (False, EXPORT_ID, ["the file has no PDF signature"])


def test_a_truncated_file_is_not_valid(signed: Path, jwks: dict) -> None:
    signed.write_bytes(signed.read_bytes()[:-300])
    assert verify_pdf(signed, jwks).valid is False


def test_the_pdf_is_signed_with_ecdsa_p256_which_readers_check(signed: Path) -> None:
    with signed.open("rb") as pdf:
        certificate: asn1_x509.Certificate = PdfFileReader(pdf).embedded_signatures[0].signer_cert
    assert certificate.public_key.algorithm == "ec"
    assert certificate.public_key.curve == ("named", "secp256r1")
