"""The issuer's published keys (public), and rotation (operators only)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get, head, post
from litestar.di import NamedDependency
from litestar.serialization import encode_json

from cpl import audit
from cpl.accounts.auth import PUBLIC
from cpl.errors import NotAllowed
from cpl.kernel.principal import AuthedRequest
from cpl.problems import problem_responses
from cpl.settings import Settings
from cpl.signing.schemas import IssuerKeyOut
from cpl.signing.service import published_did_document, published_jwks, rotate_issuer_key

#: Verifiers may cache the keys briefly; a new key after rotation shows within a minute.
PUBLISHED_HEADERS = {"Cache-Control": "public, max-age=60"}
#: RFC 7517 §8.5.1 registers ``application/jwk-set+json``; plain JSON is what JWKS consumers
#: (jose's ``createRemoteJWKSet``, OpenID discovery) are served in practice, and both parse it.
JWKS_MEDIA_TYPE = "application/json"
#: DID Core §6.3.1: a DID document with an ``@context`` is ``application/did+ld+json``.
DID_MEDIA_TYPE = "application/did+ld+json"


def _published(document: dict[str, Any], media_type: str, *, head_only: bool = False) -> Response:
    """The document, or for ``HEAD`` only its headers (with the length the ``GET`` body has)."""
    body = encode_json(document)
    headers = {**PUBLISHED_HEADERS, "Content-Type": media_type, "Content-Length": str(len(body))}
    return Response(None if head_only else body, media_type=media_type, headers=headers)


class WellKnownController(Controller):
    """What anyone needs to check an export's signatures, with no account."""

    path = "/.well-known"
    tags = ["issuer"]

    @get("/jwks.json", operation_id="getIssuerJwks", opt={PUBLIC: True}, media_type=JWKS_MEDIA_TYPE)
    async def jwks(self, settings: NamedDependency[Settings]) -> Response[dict[str, Any]]:
        """Every issuer key, current and retired, as a JWK Set: retired keys stay so older exports verify.

        Each key's ``kid`` is its DID URL (``did:web:…#<thumbprint>``), the id it has in the DID
        document and the ``kid`` of every JWS cpl signs.
        """
        return _published(await published_jwks(settings), JWKS_MEDIA_TYPE)

    @head("/jwks.json", operation_id="headIssuerJwks", opt={PUBLIC: True}, media_type=JWKS_MEDIA_TYPE)
    async def jwks_head(self, settings: NamedDependency[Settings]) -> Response[None]:
        """The JWKS's headers without its body (as ``GET`` would answer them)."""
        return _published(await published_jwks(settings), JWKS_MEDIA_TYPE, head_only=True)

    @get("/did.json", operation_id="getIssuerDidDocument", opt={PUBLIC: True}, media_type=DID_MEDIA_TYPE)
    async def did_document(self, settings: NamedDependency[Settings]) -> Response[dict[str, Any]]:
        """The issuer's did:web document (``application/did+ld+json``): each key as a Multikey listed
        under ``assertionMethod``, with the id the JWKS names it by."""
        return _published(await published_did_document(settings), DID_MEDIA_TYPE)

    @head("/did.json", operation_id="headIssuerDidDocument", opt={PUBLIC: True}, media_type=DID_MEDIA_TYPE)
    async def did_document_head(self, settings: NamedDependency[Settings]) -> Response[None]:
        """The DID document's headers without its body (as ``GET`` would answer them)."""
        return _published(await published_did_document(settings), DID_MEDIA_TYPE, head_only=True)


class IssuerKeyController(Controller):
    path = "/v1/admin/issuer-keys"
    tags = ["issuer"]

    @post("", operation_id="rotateIssuerKey", status_code=201, responses=problem_responses(401, 403, 409))
    async def rotate(self, request: AuthedRequest, settings: NamedDependency[Settings]) -> IssuerKeyOut:
        """Retire the signing key and start signing with a new one. Operators only.

        The retired key stays published, so everything signed before still verifies.
        """
        if not request.user.is_admin:
            raise NotAllowed("Only operators rotate the issuer key.")
        signer = await rotate_issuer_key(settings)
        await audit.record(request, "issuer_key.rotated", object=f"key:{signer.kid}")
        return IssuerKeyOut(
            kid=signer.kid, verification_method=signer.verification_method, public_jwk=signer.public_jwk
        )
