"""Reading one stored statement back (xAPI 1.0.3 Part Three §2.1.3, "GET Statements"; single lookups only).

Rules:
- Only with the organisation's LRS credentials, and only the organisation's own statements:
  another organisation's id answers 404 as an unknown one.
- ``statementId`` finds a statement that is not voided; a voided one answers 404 there and is
  found by ``voidedStatementId`` instead (§2.1.3: "the LRS MUST NOT return any Statement which
  has been voided" unless asked by ``voidedStatementId``), which finds nothing else.
- Exactly one of the two is given, a UUID (400 otherwise); cpl answers no other query (no
  StatementResult), and says so.
- The statement as stored: with ``id``, ``stored``, ``authority`` and ``version`` set by cpl.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from cpl.errors import MalformedRequest, NotFound
from cpl.xapi import repository


def _id(name: str, value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        error = {"field": name, "message": "must be a UUID"}
        raise MalformedRequest(f"{name}: must be a UUID.", errors=[error]) from None


async def find(organisation: UUID, statement_id: str | None, voided_statement_id: str | None) -> dict[str, Any]:
    if (statement_id is None) == (voided_statement_id is None):
        raise MalformedRequest(
            "Send statementId or voidedStatementId (one of them): cpl answers single-statement lookups only.",
            errors=[{"field": "statementId", "message": "give statementId or voidedStatementId, not both"}],
        )
    voided = voided_statement_id is not None
    wanted = _id("voidedStatementId", voided_statement_id) if voided else _id("statementId", statement_id or "")
    row = await repository.stored_statement(organisation, wanted)
    if row is None or (row["voided_by"] is not None) != voided:
        raise NotFound(f"No {'voided ' if voided else ''}statement with this id.")
    return json.loads(row["body"])
