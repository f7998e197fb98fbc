"""cpl's signature over a portfolio's bytes, with the issuer's real Ed25519 JWS (cpl.signing):
a signed file verifies offline; any changed, added or removed byte outside the signature, or
a changed signature, does not."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fpdf import FPDF

from cpl.exports.pdf import render_portfolio, sign_pdf, verify_pdf
from cpl.exports.pdf.signature import SIGNATURE_SIZE
from cpl.signing import Signer, sign_jws, verify_jws
from cpl.signing.keys import jwk_thumbprint, public_jwk
from tests.exports_pdf.records import EXPORT_ID, VERIFY_URL, entry, make_record

TYP = "cpl-portfolio+jws"


def _signer() -> Signer:
    key = Ed25519PrivateKey.generate()
    kid = jwk_thumbprint(key.public_key())
    return Signer(
        kid=kid,
        verification_method=f"did:web:cpl.example#{kid}",
        public_jwk=public_jwk(key.public_key(), f"did:web:cpl.example#{kid}"),
        private_key=key,
    )


def _maker(signer: Signer) -> Callable[[bytes], str]:
    return lambda payload: sign_jws(signer, payload, TYP)


@pytest.fixture(scope="module")
def signer() -> Signer:
    return _signer()


@pytest.fixture(scope="module")
def verifier(signer: Signer) -> Callable[[str], bytes]:
    jwks = {"keys": [signer.public_jwk]}
    return lambda token: verify_jws(token, jwks)


@pytest.fixture
def unsigned(tmp_path: Path) -> Path:
    out = tmp_path / "portfolio.pdf"
    render_portfolio(make_record([entry(1), entry(2)]), VERIFY_URL, out, {})
    return out


@pytest.fixture
def signed(unsigned: Path, signer: Signer) -> Path:
    sign_pdf(unsigned, _maker(signer))
    return unsigned


def _token(path: Path) -> str:
    return str(pypdf.PdfReader(path).metadata["/CplSignature"]).rstrip(" ")


def _payload(token: str) -> dict:
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def _replace(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert data.count(old) == 1 and len(old) == len(new)
    path.write_bytes(data.replace(old, new))


def test_a_signed_portfolio_verifies_offline(signed: Path, verifier: Callable[[str], bytes]) -> None:
    check = verify_pdf(signed, verifier)
    assert (check.valid, check.export_id, check.reasons) == (True, EXPORT_ID, [])


def test_the_signature_covers_the_whole_file_but_itself(signed: Path) -> None:
    data = signed.read_bytes()
    token = _token(signed)
    payload = _payload(token)
    start = data.index(token.encode())
    assert payload["byte_range"] == [0, start, start + SIGNATURE_SIZE, len(data) - start - SIGNATURE_SIZE]
    assert payload["export_id"] == EXPORT_ID
    assert EXPORT_ID in pypdf.PdfReader(signed).pages[-1].extract_text()


def test_signing_moves_no_byte_outside_the_signature(unsigned: Path, signer: Signer) -> None:
    before = unsigned.read_bytes()
    sign_pdf(unsigned, _maker(signer))
    after = unsigned.read_bytes()
    start = after.index(_token(unsigned).encode())
    assert len(after) == len(before)
    assert after[:start] == before[:start] and after[start + SIGNATURE_SIZE :] == before[start + SIGNATURE_SIZE :]


@pytest.mark.parametrize("where", ["first", "page content", "last"])
def test_a_changed_byte_outside_the_signature_is_caught(signed: Path, verifier, where: str) -> None:
    data = bytearray(signed.read_bytes())
    position = {"first": 0, "page content": data.index(b"stream\n") + 20, "last": len(data) - 2}[where]
    data[position] ^= 0x01
    signed.write_bytes(bytes(data))
    check = verify_pdf(signed, verifier)
    assert not check.valid
    assert check.reasons == ["the file has changed since it was signed"]
    assert check.export_id == EXPORT_ID


def test_a_changed_jws_is_caught(signed: Path, verifier) -> None:
    token = _token(signed)
    forged = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    _replace(signed, token.encode(), forged.encode())
    check = verify_pdf(signed, verifier)
    assert not check.valid and check.export_id is None
    assert check.reasons[0].startswith("the signature does not verify")


def test_a_signature_by_another_key_is_caught(unsigned: Path, verifier) -> None:
    sign_pdf(unsigned, _maker(_signer()))
    check = verify_pdf(unsigned, verifier)
    assert not check.valid
    assert "publishes no key" in check.reasons[0]


def test_something_hidden_in_the_padding_is_caught(signed: Path, verifier) -> None:
    token = _token(signed).encode()
    _replace(signed, token + b"   ", token + b" x ")
    check = verify_pdf(signed, verifier)
    assert (check.valid, check.reasons) == (False, ["the signature field holds something other than a JWS"])


@pytest.mark.parametrize("cut", [1, 200])
def test_a_truncated_file_is_caught(signed: Path, verifier, cut: int) -> None:
    signed.write_bytes(signed.read_bytes()[:-cut])
    check = verify_pdf(signed, verifier)
    assert not check.valid
    assert "the signed byte range does not cover the whole file but the signature" in check.reasons


def test_a_file_cut_before_the_signature_is_caught(signed: Path, verifier) -> None:
    data = signed.read_bytes()
    signed.write_bytes(data[: data.index(b"/CplSignature") + 100])
    check = verify_pdf(signed, verifier)
    assert (check.valid, check.export_id) == (False, None)
    assert check.reasons == [f"the file has no /CplSignature field of {SIGNATURE_SIZE} characters"]


def test_an_appended_update_is_caught(signed: Path, verifier) -> None:
    with signed.open("ab") as pdf:
        pdf.write(b"\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n")
    check = verify_pdf(signed, verifier)
    assert not check.valid
    assert "the signed byte range does not cover the whole file but the signature" in check.reasons


def test_a_changed_export_id_is_caught(signed: Path, verifier) -> None:
    other = EXPORT_ID[:-1] + ("0" if EXPORT_ID[-1] != "0" else "1")
    _replace(signed, f"/CplExportId ({EXPORT_ID})".encode(), f"/CplExportId ({other})".encode())
    check = verify_pdf(signed, verifier)
    assert not check.valid
    assert "the signed export id is not the file's" in check.reasons


def test_only_a_portfolio_can_be_signed(tmp_path: Path, signer: Signer) -> None:
    plain = FPDF()
    plain.add_page()
    other = tmp_path / "other.pdf"
    plain.output(str(other))
    with pytest.raises(ValueError, match="no /CplSignature field"):
        sign_pdf(other, _maker(signer))


def test_a_jws_too_long_for_the_field_is_refused(unsigned: Path) -> None:
    before = unsigned.read_bytes()
    with pytest.raises(ValueError, match="compact JWS"):
        sign_pdf(unsigned, lambda payload: "a." + "b" * SIGNATURE_SIZE + ".c")
    assert unsigned.read_bytes() == before
