"""Issue a signed CLR for a portable record, and verify what was issued.

Each credential carries an ``eddsa-jcs-2022`` Data Integrity proof; the CLR is also given as
a VC-JWT exactly as Open Badges 3.0 §8.2 ("JSON Web Token Proof Format", which CLR 2.0 §8
adopts) says. Issue 7: "signed with Ed25519 — as a VC-JWT (EdDSA) and with a Data Integrity
proof"; issue 17: "VC-JWT exactly as OB 3.0 §8 says".
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

#: OB 3.0 §8.2.4.1: ``typ``, if present, MUST be ``JWT``.
JWT_TYPE = "JWT"
#: What exports made before issue 17 put in ``typ``; they still verify.
EARLIER_JWT_TYPES = {"vc+jwt"}


@dataclass
class VerificationResult:
    valid: bool
    reasons: list[str] = field(default_factory=list)
    kid: str | None = None
    issuer: str | None = None


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _numeric_date(moment: str) -> int:
    """RFC 7519 §2 NumericDate: whole seconds since the epoch."""
    return int(datetime.fromisoformat(moment).timestamp())


def jwt_claims(credential: dict[str, Any]) -> dict[str, Any]:
    """OB 3.0 §8.2.4.2: the whole credential (embedded proofs included, added before this is built)
    plus ``iss`` = issuer id, ``nbf`` = ``validFrom``, ``jti`` = credential id, ``sub`` =
    ``credentialSubject.id``, and ``exp`` = ``validUntil`` when the credential has one."""
    claims = {
        **credential,
        "iss": _issuer_id(credential),
        "nbf": _numeric_date(credential["validFrom"]),
        "jti": credential["id"],
        "sub": credential["credentialSubject"]["id"],
    }
    if "validUntil" in credential:
        claims["exp"] = _numeric_date(credential["validUntil"])
    return claims


def credential_jwt(credential: dict[str, Any], signer: Signer) -> str:
    """The credential as a VC-JWT (OB 3.0 §8.2): header ``alg`` EdDSA, ``kid`` the DID URL of the
    key (also its ``kid`` in the JWKS), ``typ`` ``JWT``; the claims of :func:`jwt_claims`."""
    payload = json.dumps(jwt_claims(credential), separators=(",", ":"), ensure_ascii=False).encode()
    return sign_jws(signer, payload, JWT_TYPE)


def _sign_all(
    record: dict[str, Any], issuer: dict[str, Any], subject_id: str, signer: Signer, signed_at: str
) -> dict[str, Any]:
    frameworks = {framework["id"]: framework for framework in record["frameworks"]}
    worker = documents.subject(subject_id, record["worker"]["email"])
    achievements = [documents.achievement(entry, frameworks, issuer["id"]) for entry in record["entries"]]
    credentials = [
        add_proof(documents.entry_credential(record, entry, issuer, worker, achieved), signer, signed_at)
        for entry, achieved in zip(record["entries"], achievements, strict=True)
        if entry["verifications"]
    ]
    clr = add_proof(documents.clr_credential(record, issuer, worker, achievements, credentials), signer, signed_at)
    return {"clr": clr, "clr_jwt": credential_jwt(clr, signer), "credentials": credentials}


async def issue_clr(record: dict[str, Any], settings: Settings, subject_id: str) -> dict[str, Any]:
    """``{"clr", "clr_jwt", "credentials"}`` for a portable record, signed with the current issuer key.

    ``subject_id`` names the worker in every credential (``credentialSubject.id``, the VC-JWT's
    ``sub``): their account's credential subject, a ``urn:uuid`` that reveals nothing. Only
    entries with at least one current verification get an OpenBadgeCredential: the issuer
    vouches that someone verified them. Every entry is in the CLR's achievements.
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
    return await anyio.to_thread.run_sync(_sign_all, record, issuer, subject_id, signer, signed_at)


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


def _check_registered_claims(claims: dict[str, Any]) -> None:
    """Each OB 3.0 §8.2.4.2 claim present agrees with the credential it repeats (earlier exports lack some)."""
    expected = {"jti": claims.get("id")}
    subject = claims.get("credentialSubject")
    if isinstance(subject, dict) and "id" in subject:
        expected["sub"] = subject["id"]
    for claim, field_name in (("nbf", "validFrom"), ("exp", "validUntil")):
        try:
            expected[claim] = _numeric_date(str(claims[field_name])) if field_name in claims else None
        except ValueError:
            raise SignatureInvalid(f"The credential's {field_name} is not a date-time.") from None
    for claim, value in expected.items():
        if claim in claims and claims[claim] != value:
            raise SignatureInvalid(f"The VC-JWT's {claim} does not match the credential.")


def _open(document_or_jwt: dict | str, jwks: dict) -> tuple[dict[str, Any], list[str]]:
    """The credential and the verification methods that signed it; :class:`SignatureInvalid` if it does not verify."""
    if isinstance(document_or_jwt, str):
        content = open_jws(document_or_jwt, jwks)
        if content.header.get("typ", JWT_TYPE) not in {JWT_TYPE, *EARLIER_JWT_TYPES}:
            raise SignatureInvalid(f"A VC-JWT's typ, if present, must be {JWT_TYPE}.")
        try:
            document = json.loads(content.payload)
        except ValueError as error:
            raise SignatureInvalid("The VC-JWT's payload is not JSON.") from error
        if not isinstance(document, dict) or document.get("iss") != _issuer_id(document):
            raise SignatureInvalid("The VC-JWT's iss does not match the credential's issuer.")
        _check_registered_claims(document)
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
