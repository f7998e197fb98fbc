"""Storing statements an organisation's learning system posts, and the suggestions they make.

Rules (xAPI 1.0.3 Part Three "Communication" §2.1; the ADL LRS conformance requirements
XAPI-00142…00146 cited next to each):

- A batch is stored whole or not at all (§2.1.2: a batch with one bad statement is refused).
- A statement id is unique per organisation. The same id with the same content is a replay: it
  changes nothing and answers as the first did; with other content it is refused with 409 and
  the stored statement stays as it was (XAPI-00142).
- Every statement names a current member of the organisation who agreed to receive its
  suggestions (``SuggestionConsent``), matched by e-mail. A statement about anyone else is refused
  with 403 (the credentials are good but may not write about that person: §3.2 "403 Forbidden"),
  naming the actors, and nothing of the batch is stored. Voiding statements are the exception:
  their actor is the learning system.
- A statement whose verb says completed, passed or attended (:mod:`.drafts`) suggests an entry to
  that worker; one voided while still pending is withdrawn (§2.3.2, Part Two).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from cpl.db import write_transaction
from cpl.errors import Conflict, MalformedRequest, NotAllowed
from cpl.kernel import clock
from cpl.xapi import repository
from cpl.xapi.drafts import draft_of, suggests
from cpl.xapi.statements import Statement, read_statement, refuse


class NoConsent(NotAllowed):
    """The statements name people who are not members who agreed to the organisation's suggestions."""

    title = "No consent to suggestions"
    type = "urn:cpl:problem:xapi-no-consent"


def read_batch(bodies: list[Any]) -> list[Statement]:
    """Check every statement, give each without an id one, and refuse an id sent twice."""
    statements = [read_statement(position, body) for position, body in enumerate(bodies)]
    seen: set[UUID] = set()
    for statement in statements:
        if statement.statement_id in seen:
            raise refuse(statement.position, "id", "is sent twice in this batch")
        if statement.statement_id is not None:
            seen.add(statement.statement_id)
    return statements


async def store(organisation: UUID, authority: dict[str, Any], statements: list[Statement]) -> list[UUID]:
    """Store a checked batch; the ids of its statements, in order (XAPI-00146)."""
    if not statements:
        raise MalformedRequest("Send at least one statement.")
    ids = [statement.statement_id or uuid4() for statement in statements]
    now = clock.now()
    async with write_transaction():
        stored = await repository.stored_hashes(organisation, ids)
        new = [(i, s) for i, s in zip(ids, statements, strict=True) if _is_new(i, s, stored)]
        members = await _consenting_actors(organisation, [s for _, s in new if s.voids is None])
        await repository.insert_statements(
            [_statement_row(organisation, i, s, members, authority, now) for i, s in new]
        )
        await repository.insert_suggestions(
            [_suggestion_row(organisation, i, s, members[s.email], now) for i, s in new if suggests(s)]
        )
        voids = [(statement_id, statement.voids) for statement_id, statement in new if statement.voids is not None]
        await repository.void_statements(organisation, voids)
        await repository.withdraw(organisation, [f"xapi:{target}" for _, target in voids], now)
    return ids


def _is_new(statement_id: UUID, statement: Statement, stored: dict[UUID, str]) -> bool:
    known = stored.get(statement_id)
    if known is None:
        return True
    if known != statement.content_hash:
        raise Conflict(
            f"statements[{statement.position}].id: another statement with id {statement_id} is stored already; "
            "a statement cannot be changed (send a voiding statement, then a new one).",
            errors=[{"field": f"statements[{statement.position}].id", "message": "conflicts with a stored statement"}],
        )
    return False


async def _consenting_actors(organisation: UUID, statements: list[Statement]) -> dict[str | None, UUID]:
    members = await repository.consenting_members(organisation, [s.email for s in statements if s.email])
    refused = [s for s in statements if s.email not in members]
    if refused:
        actors = sorted({s.actor for s in refused})
        raise NoConsent(
            "These actors are not current members of the organisation who agreed to receive its suggestions: "
            + ", ".join(actors)
            + ". Nothing of the batch was stored.",
            errors=[
                {"field": f"statements[{s.position}].actor", "message": f"{s.actor} has not agreed to suggestions"}
                for s in refused
            ],
        )
    return members  # type: ignore[return-value]


def _statement_row(
    organisation: UUID,
    statement_id: UUID,
    statement: Statement,
    members: dict[str | None, UUID],
    authority: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    body = {
        **statement.body,
        "id": str(statement_id),
        "timestamp": statement.body.get("timestamp", now.isoformat()),
        "stored": now.isoformat(),
        "authority": authority,
        "version": statement.body.get("version", "1.0.0"),
    }
    return {
        "id": uuid4(),
        "organisation": organisation,
        "statement_id": statement_id,
        "content_hash": statement.content_hash,
        "account": members.get(statement.email) if statement.voids is None else None,
        "verb": statement.verb,
        "body": json.dumps(body),
        "stored_at": now,
    }


def _suggestion_row(
    organisation: UUID, statement_id: UUID, statement: Statement, owner: UUID, now: datetime
) -> dict[str, Any]:
    draft = draft_of(statement, now)
    return suggestion_row(
        organisation, owner, f"xapi:{statement_id}", draft, {**statement.body, "id": str(statement_id)}, now
    )


def suggestion_row(
    organisation: UUID, owner: UUID, source_key: str, draft: Any, evidence: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """A pending suggestion; its id is the id the accepted entry will have."""
    return {
        "id": uuid4(),
        "owner": owner,
        "organisation": organisation,
        "source_key": source_key,
        "title": draft.title,
        "occurred_on": draft.occurred_on,
        "ended_on": draft.ended_on,
        "duration_minutes": draft.duration_minutes,
        "activity_type": draft.activity_type,
        "description": draft.description,
        "evidence": json.dumps(evidence),
        "state": "pending",
        "created_at": now,
        "decided_at": None,
    }
