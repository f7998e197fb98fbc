"""The portfolio's PDF signature: PAdES baseline B-B (ETSI EN 319 142-1 §6.3), made and
checked with pyHanko, so PDF readers (Acrobat, poppler's ``pdfsig``, pyHanko) show the file as
signed and unchanged since. The QR code on every page, leading to the verification page, stays
the human path to "is this export still current?".

- :func:`sign_pdf` appends the signature to a rendered portfolio as an incremental update
  (ISO 32000-2 §12.8): an invisible signature field, ``/SubFilter /ETSI.CAdES.detached``, a
  CMS SignedData over the whole file but the signature's own contents, SHA-256, the
  ``signing-certificate-v2`` attribute (RFC 5035), and the certificate chain embedded.
- :func:`verify_pdf` checks it with pyHanko's validator: the digest and the CMS signature
  (intact, valid), that the signature covers the whole file (nothing appended after it), and
  that its certificate is trusted: issued by a key the issuer publishes in its JWKS (the
  default, :mod:`cpl.exports.pdf.certificate`) or chaining to a root the verifier was given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.authority import TrustAnchor
from pyhanko_certvalidator.registry import SimpleCertificateStore

from cpl.errors import SignatureInvalid
from cpl.exports.pdf.certificate import SigningIdentity, issuer_anchor, issuer_kid
from cpl.signing.keys import key_from_jwks

FIELD_NAME = "cpl-portfolio"
#: A certificate for signing documents says so with either bit (RFC 5280 §4.2.1.3).
_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)


@dataclass
class PdfCheck:
    """The outcome of checking a portfolio PDF. ``export_id`` is the one in the signed file;
    ``signer`` the signing certificate's subject (its common name); ``reasons`` says why the file is not valid."""

    valid: bool
    export_id: str | None
    signer: str | None = None
    reasons: list[str] = field(default_factory=list)


def _asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def sign_pdf(path: Path, identity: SigningIdentity, reason: str) -> None:
    """Sign the portfolio at ``path`` in place (blocking). ``reason`` is shown by readers."""
    private_der = identity.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    signer = signers.SimpleSigner(
        signing_cert=_asn1_certificate(identity.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(private_der),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_certificate(cert) for cert in identity.chain]),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES, reason=reason
    )
    with path.open("r+b") as pdf:
        signers.sign_pdf(IncrementalPdfFileWriter(pdf), metadata, signer=signer, in_place=True)


def _anchors(signer_cert: asn1_x509.Certificate, jwks: dict, roots: Iterable[x509.Certificate]) -> list:
    anchors: list[TrustAnchor | asn1_x509.Certificate] = [_asn1_certificate(root) for root in roots]
    kid = issuer_kid(signer_cert)
    if kid is not None:
        try:
            anchors.append(issuer_anchor(signer_cert, key_from_jwks(jwks, kid)))
        except SignatureInvalid:
            pass  # not a key this issuer publishes: the certificate is then not trusted
    return anchors


def _export_id(reader: PdfFileReader) -> str | None:
    info = reader.trailer_view.get("/Info")
    value = info.get_object().get("/CplExportId") if info is not None else None
    return str(value) if value is not None else None


def verify_pdf(path: Path, jwks: dict, roots: Iterable[x509.Certificate] = ()) -> PdfCheck:
    """Check a signed portfolio offline (blocking). Its certificate must be issued by a key
    in ``jwks`` (cpl's own, self-issued) or chain to one of ``roots`` (a deployment's CA)."""
    try:
        with path.open("rb") as pdf:
            reader = PdfFileReader(pdf, strict=False)
            signatures = reader.embedded_signatures
            if len(signatures) != 1:
                found = "no PDF signature" if not signatures else "more than one PDF signature"
                return PdfCheck(valid=False, export_id=_export_id(reader), reasons=[f"the file has {found}"])
            signature = signatures[0]
            context = ValidationContext(trust_roots=_anchors(signature.signer_cert, jwks, roots))
            status = validate_pdf_signature(signature, context, key_usage_settings=_KEY_USAGE)
            export_id = _export_id(reader)
    except (PdfError, SigningError, ValueError, KeyError) as error:
        return PdfCheck(valid=False, export_id=None, reasons=[f"the file cannot be read as a signed PDF: {error}"])
    reasons = _faults(status)
    subject = status.signing_cert.subject
    signer = subject.native.get("common_name") or subject.human_friendly
    return PdfCheck(not reasons, export_id, signer=signer, reasons=reasons)


def _faults(status: PdfSignatureStatus) -> list[str]:
    """Why a signature is not good; a changed file or a broken signature is not asked about trust."""
    if not status.intact:
        return ["the file has changed since it was signed"]
    if not status.valid:
        return ["the signature does not match the signing certificate"]
    reasons = []
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        reasons.append("something was added to the file after it was signed")
    if not status.trusted:
        reasons.append("the signing certificate is neither issued by a key the issuer publishes nor by a trusted root")
    return reasons
