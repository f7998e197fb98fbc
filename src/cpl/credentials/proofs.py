"""Data Integrity proofs with the ``eddsa-jcs-2022`` cryptosuite.

W3C "Data Integrity EdDSA Cryptosuites v1.0" (https://www.w3.org/TR/vc-di-eddsa/), §3.3:
the proof configuration (the proof without ``proofValue``, carrying the document's
``@context``) and the document without its proof are each canonicalised with JCS (RFC 8785)
and hashed with SHA-256; the Ed25519 signature of the two hashes, concatenated in that
order, is the ``proofValue``, multibase base58btc. JCS rather than RDF canonicalisation:
verifying then needs no JSON-LD context loading, so a verifier works offline.

``proof`` is written as a one-proof set (an array): VC Data Integrity allows either form, and
the 1EdTech Open Badges 3.0 JSON Schema accepts only the array.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import rfc8785

from cpl.errors import SignatureInvalid
from cpl.signing.keys import Signer, check_signature, from_multibase_base58btc, key_from_jwks, multibase_base58btc

CRYPTOSUITE = "eddsa-jcs-2022"
PROOF_TYPE = "DataIntegrityProof"


def _hash_data(proof_config: dict[str, Any], unsecured: dict[str, Any]) -> bytes:
    try:
        config_bytes, document_bytes = rfc8785.dumps(proof_config), rfc8785.dumps(unsecured)
    except rfc8785.CanonicalizationError as error:
        raise SignatureInvalid(f"The document cannot be canonicalised (RFC 8785): {error}") from error
    return hashlib.sha256(config_bytes).digest() + hashlib.sha256(document_bytes).digest()


def add_proof(document: dict[str, Any], signer: Signer, created: str) -> dict[str, Any]:
    """``document`` with a ``DataIntegrityProof`` by ``signer`` for the purpose ``assertionMethod``."""
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": signer.verification_method,
        "proofPurpose": "assertionMethod",
    }
    if "@context" in unsecured:
        proof["@context"] = unsecured["@context"]
    proof["proofValue"] = multibase_base58btc(signer.sign(_hash_data(proof, unsecured)))
    return {**unsecured, "proof": [proof]}


def _check_config(proof: dict[str, Any], document: dict[str, Any]) -> None:
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise SignatureInvalid(f"Only {PROOF_TYPE} proofs with the {CRYPTOSUITE} cryptosuite are accepted.")
    if proof.get("proofPurpose") != "assertionMethod":
        raise SignatureInvalid("The proof's purpose is not assertionMethod.")
    if not isinstance(proof.get("verificationMethod"), str) or not isinstance(proof.get("proofValue"), str):
        raise SignatureInvalid("The proof names no verification method or has no proofValue.")
    try:
        datetime.fromisoformat(str(proof.get("created")))
    except ValueError as error:
        raise SignatureInvalid("The proof's created time is not a date-time.") from error
    context = proof.get("@context")
    if context is not None and (
        not isinstance(context, list)
        or not isinstance(document.get("@context"), list)
        or document["@context"][: len(context)] != context
    ):
        raise SignatureInvalid("The document's @context does not start with the proof's @context.")


def _verify_one(proof: Any, document: dict[str, Any], jwks: dict) -> dict[str, Any]:
    if not isinstance(proof, dict):
        raise SignatureInvalid("A proof is a JSON object.")
    _check_config(proof, document)
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    if "@context" in proof:
        unsecured["@context"] = proof["@context"]
    config = {name: value for name, value in proof.items() if name != "proofValue"}
    key = key_from_jwks(jwks, proof["verificationMethod"])
    check_signature(key, from_multibase_base58btc(proof["proofValue"]), _hash_data(config, unsecured))
    return proof


def verify_proof(document: dict[str, Any], jwks: dict) -> list[dict[str, Any]]:
    """The document's proofs (one object or a set), once every one verifies against a key of ``jwks``.

    :class:`SignatureInvalid` when there is none or any fails. Proof chains (``previousProof``)
    are not issued by cpl and are refused rather than half-checked.
    """
    proofs = document.get("proof")
    proofs = [proofs] if isinstance(proofs, dict) else proofs
    if not isinstance(proofs, list) or not proofs:
        raise SignatureInvalid("The document carries no Data Integrity proof.")
    if any(isinstance(proof, dict) and "previousProof" in proof for proof in proofs):
        raise SignatureInvalid("Proof chains (previousProof) are not supported.")
    return [_verify_one(proof, document, jwks) for proof in proofs]
