"""Issue a signed CLR for a portable record, and verify what was issued.

Each credential carries an ``eddsa-jcs-2022`` Data Integrity proof; the CLR is also
given as a VC-JWT (W3C "Securing Verifiable Credentials using JOSE and COSE": compact JWS,
``typ`` ``vc+jwt``, ``cty`` ``vc``, the credential itself as the claims set, with ``iss``,
``jti`` and ``iat`` that agree with it). Issue 7: "signed with Ed25519 — as a VC-JWT
(EdDSA) and with a Data Integrity proof".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import anyio

from cpl.credentials import documents
from cpl.credentials.proofs import add_proof, verify_proof
from cpl.errors import SignatureInvalid
from cpl.kernel import clock
from cpl.settings import Settings
from cpl.signing import Signer, active_signer, issuer_did, open_jws, sign_jws

JWT_TYPE = "vc+jwt"


@dataclass
class VerificationResult:
    valid: bool
    reasons: list[str] = field(default_factory=list)
    kid: str | None = None
    issuer: str | None = None


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def credential_jwt(credential: dict[str, Any], signer: Signer) -> str:
    """The credential (without its Data Integrity proof) as a VC-JWT."""
    claims = {name: value for name, value in credential.items() if name != "proof"}
    issued = datetime.fromisoformat(credential["validFrom"])
    claims.update(iss=credential["issuer"]["id"], jti=credential["id"], iat=int(issued.timestamp()))
    payload = json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode()
    return sign_jws(signer, payload, JWT_TYPE, cty="vc")


def _sign_all(record: dict[str, Any], issuer: dict[str, Any], signer: Signer, signed_at: str) -> dict[str, Any]:
    frameworks = {framework["id"]: framework for framework in record["frameworks"]}
    identifier = documents.recipient(record["worker"]["email"])
    achievements = [documents.achievement(entry, frameworks, issuer["id"]) for entry in record["entries"]]
    credentials = [
        add_proof(documents.entry_credential(record, entry, issuer, identifier, achieved), signer, signed_at)
        for entry, achieved in zip(record["entries"], achievements, strict=True)
        if entry["verifications"]
    ]
    clr = add_proof(documents.clr_credential(record, issuer, identifier, achievements, credentials), signer, signed_at)
    return {"clr": clr, "clr_jwt": credential_jwt(clr, signer), "credentials": credentials}


async def issue_clr(record: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """``{"clr", "clr_jwt", "credentials"}`` for a portable record, signed with the current issuer key.

    Only entries with at least one current verification get an OpenBadgeCredential: the
    issuer vouches that someone verified them. Every entry is in the CLR's achievements.
    """
    signer = await active_signer(settings)
    export = record["export"]
    issuer = {
        "id": issuer_did(settings),
        "type": ["Profile"],
        "name": export["issuer"]["name"],
        "url": export["issuer"]["url"],
    }
    signed_at = _rfc3339(clock.now())
    return await anyio.to_thread.run_sync(_sign_all, record, issuer, signer, signed_at)


def _issuer_id(document: dict[str, Any]) -> str | None:
    issuer = document.get("issuer")
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    return value if isinstance(value, str) else None


def _check_validity_period(document: dict[str, Any], reasons: list[str]) -> None:
    now = clock.now()
    for name, broken in (("validFrom", lambda moment: moment > now), ("validUntil", lambda moment: moment < now)):
        if name not in document:
            continue
        try:
            moment = datetime.fromisoformat(str(document[name]))
        except ValueError:
            reasons.append(f"{name} is not a date-time.")
            continue
        if moment.tzinfo is None or broken(moment):
            reasons.append(f"Outside its validity period ({name} {document[name]}).")


def _check_nested(document: dict[str, Any], jwks: dict, reasons: list[str]) -> None:
    subject = document.get("credentialSubject")
    nested = subject.get("verifiableCredential", []) if isinstance(subject, dict) else []
    for index, credential in enumerate(nested if isinstance(nested, list) else []):
        result = verify_credential(credential, jwks)
        reasons.extend(f"verifiableCredential[{index}]: {reason}" for reason in result.reasons)


def _open(document_or_jwt: dict | str, jwks: dict) -> tuple[dict[str, Any], list[str]]:
    """The credential and the verification methods that signed it; :class:`SignatureInvalid` if it does not verify."""
    if isinstance(document_or_jwt, str):
        content = open_jws(document_or_jwt, jwks)
        if content.header.get("typ") != JWT_TYPE:
            raise SignatureInvalid(f"A VC-JWT must have typ {JWT_TYPE}.")
        try:
            document = json.loads(content.payload)
        except ValueError as error:
            raise SignatureInvalid("The VC-JWT's payload is not JSON.") from error
        if not isinstance(document, dict) or document.get("iss") != _issuer_id(document):
            raise SignatureInvalid("The VC-JWT's iss does not match the credential's issuer.")
        return document, [content.header["kid"]]
    if not isinstance(document_or_jwt, dict):
        raise SignatureInvalid("A credential is a JSON object or a VC-JWT string.")
    return document_or_jwt, [proof["verificationMethod"] for proof in verify_proof(document_or_jwt, jwks)]


def verify_credential(document_or_jwt: dict | str, jwks: dict) -> VerificationResult:
    """Check a credential's signature (Data Integrity proof or VC-JWT) against the issuer's JWKS.

    Also: the signing key must be the issuer's own (``<issuer DID>#kid``), the credential
    must be inside its validity period, and every credential nested in a CLR must verify too.
    """
    try:
        document, methods = _open(document_or_jwt, jwks)
    except SignatureInvalid as error:
        return VerificationResult(valid=False, reasons=[error.detail])
    issuer, reasons = _issuer_id(document), []
    for method in methods:
        if issuer is None or not method.startswith(f"{issuer}#"):
            reasons.append(f"Signed with {method}, which is not a key of the issuer {issuer}.")
    _check_validity_period(document, reasons)
    _check_nested(document, jwks, reasons)
    return VerificationResult(valid=not reasons, reasons=reasons, kid=methods[0].rpartition("#")[2], issuer=issuer)
