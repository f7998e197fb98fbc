"""The issuer's published keys (public), and rotation (operators only)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency

from cpl.accounts.auth import PUBLIC
from cpl.errors import NotAllowed
from cpl.kernel.principal import AuthedRequest
from cpl.problems import problem_responses
from cpl.settings import Settings
from cpl.signing.schemas import IssuerKeyOut
from cpl.signing.service import published_did_document, published_jwks, rotate_issuer_key

#: Verifiers may cache the keys briefly; a new key after rotation shows within a minute.
PUBLISHED_HEADERS = {"Cache-Control": "public, max-age=60"}


class WellKnownController(Controller):
    """What anyone needs to check an export's signatures, with no account."""

    path = "/.well-known"
    tags = ["issuer"]

    @get("/jwks.json", operation_id="getIssuerJwks", opt={PUBLIC: True})
    async def jwks(self) -> Response[dict[str, Any]]:
        """Every issuer key, current and retired, as a JWK Set: retired keys stay so older exports verify."""
        return Response(await published_jwks(), headers=PUBLISHED_HEADERS)

    @get("/did.json", operation_id="getIssuerDidDocument", opt={PUBLIC: True})
    async def did_document(self, settings: NamedDependency[Settings]) -> Response[dict[str, Any]]:
        """The issuer's did:web document: each key as a Multikey listed under ``assertionMethod``."""
        return Response(await published_did_document(settings), headers=PUBLISHED_HEADERS)


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
        return IssuerKeyOut(
            kid=signer.kid, verification_method=signer.verification_method, public_jwk=signer.public_jwk
        )
