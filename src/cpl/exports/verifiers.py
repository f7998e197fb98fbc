"""Who verified what an export carries, as the public verification page shows it.

Kept with the export when it is made (``Export.verifiers``), from the record the file was
made of: the page then says what the file says, even after an organisation is vetted or its
vetting revoked. Each distinct verifier appears once, with their organisation labelled
"vetted organisation" or "self-declared organisation" as of their verification, and their
registration number "as given, not checked with the register" (see :mod:`cpl.kernel.registers`).
"""

from __future__ import annotations

from typing import Any

from cpl.exports.schemas import VerifierOut
from cpl.kernel.registers import organisation_standing, registration_label


def export_verifiers(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The record's verifiers, once each, in the order they first appear; stored as JSON."""
    found: dict[tuple, dict[str, Any]] = {}
    for entry in record["entries"]:
        for verification in entry["verifications"]:
            vetted = bool(verification.get("organisation_vetted"))
            number = verification.get("verifier_registration_number") or ""
            register = verification.get("verifier_register") or ""
            item = {
                "verifier_name": verification["verifier_name"],
                "verifier_role": verification.get("verifier_role") or "",
                "organisation_name": verification.get("organisation_name") or "",
                "organisation_vetted": vetted,
                "organisation_standing": organisation_standing(vetted),
                "registration_number": number,
                "register": register,
                "registration_shown_as": registration_label(number, register),
            }
            key = tuple(item.values())
            if key in found:
                found[key]["verifications"] += 1
            else:
                found[key] = {**item, "verifications": 1}
    return list(found.values())


def verifiers_out(stored: list[dict[str, Any]]) -> list[VerifierOut]:
    return [VerifierOut(**item) for item in stored]
