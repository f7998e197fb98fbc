"""Sign-offs on a worker's entries, for the audit profiles: who verified each entry, and whether
their organisation was vetted when they did.

Regulators' checks that rest on someone else's sign-off — NMC's confirmer and reflective
discussion partner, SSSC's sampled verification by the employer (see DOMAIN.md and
:mod:`cpl.reviews`) — are only as good as who signed off. Each profile entry therefore lists
its current verifications, each marked "vetted organisation" or "self-declared organisation"
as of the verification (an operator had, or had not, vetted the organisation then; see
:mod:`cpl.organisations.vetting`).

The verifications belong to :mod:`cpl.reviews`, which builds on this domain; so this domain
does not import it: the app hands the reader in (``create_app`` provides ``sign_offs``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from cpl.requirements.audit_schemas import SignOffOut

#: Each entry's current verifications, as :func:`cpl.reviews.current_verifications` gives them.
ReadVerifications = Callable[[list[UUID]], Awaitable[dict[UUID, list[dict[str, Any]]]]]


@dataclass(frozen=True)
class SignOffs:
    """The reader of verifications the app provides to this domain's routes."""

    read: ReadVerifications

    async def of(self, entry_ids: list[UUID]) -> dict[UUID, list[SignOffOut]]:
        found = await self.read(entry_ids) if entry_ids else {}
        return {
            entry_id: [
                SignOffOut(
                    verifier_name=item["verifier_name"],
                    verifier_role=item["verifier_role"],
                    organisation_name=item["organisation_name"],
                    organisation_vetted=item["organisation_vetted"],
                    organisation_standing=item["organisation_standing"],
                    verified_at=item["verified_at"],
                )
                for item in verifications
            ]
            for entry_id, verifications in found.items()
        }
