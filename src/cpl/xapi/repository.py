"""Every statement on the xAPI tables (src/cpl/README.md, "One module per table").

Reads of ``membership`` and ``account`` (finding the consenting members a batch names) join
other domains' tables read-only: two statements for a batch of any size, where asking the
organisations and accounts domains would be two per actor (bench/xapi.py ingests 1,000 a batch).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from piccolo.query.mixins import OnConflictAction

from cpl.db import Sql, on_postgres
from cpl.organisations.tables import Membership
from cpl.xapi.statements import VOIDED
from cpl.xapi.tables import LrsCredential, Suggestion, SuggestionConsent, XapiStatement

# Credentials


async def credential_by_key(key: str) -> dict[str, Any] | None:
    return await LrsCredential.select().where(LrsCredential.key == key).first()


async def insert_credential(row: dict[str, Any]) -> None:
    await LrsCredential.insert(LrsCredential(**row))


async def credentials_of(organisation: UUID) -> list[dict[str, Any]]:
    return (
        await LrsCredential.select(LrsCredential.all_columns(exclude=[LrsCredential.secret_hash]))
        .where(LrsCredential.organisation == organisation)
        .order_by(LrsCredential.created_at)
    )


async def revoke_credential(organisation: UUID, credential: UUID, now: datetime) -> dict[str, Any] | None:
    """Revoke (once); the credential's row, or none when the organisation has no such credential."""
    where = (LrsCredential.organisation == organisation) & (LrsCredential.id == credential)
    await LrsCredential.update({LrsCredential.revoked_at: now}).where(where & LrsCredential.revoked_at.is_null())
    return await LrsCredential.select(LrsCredential.id, LrsCredential.revoked_at).where(where).first()


# Consents


async def consent(account: UUID, organisation: UUID) -> dict[str, Any] | None:
    return (
        await SuggestionConsent.select()
        .where((SuggestionConsent.account == account) & (SuggestionConsent.organisation == organisation))
        .first()
    )


async def insert_consent(row: dict[str, Any]) -> None:
    await SuggestionConsent.insert(SuggestionConsent(**row))


async def delete_consent(account: UUID, organisation: UUID) -> None:
    await SuggestionConsent.delete().where(
        (SuggestionConsent.account == account) & (SuggestionConsent.organisation == organisation)
    )


async def consents_of(account: UUID) -> list[dict[str, Any]]:
    return (
        await SuggestionConsent.select(
            SuggestionConsent.organisation,
            SuggestionConsent.organisation.name.as_alias("organisation_name"),
            SuggestionConsent.given_at,
        )
        .where(SuggestionConsent.account == account)
        .order_by(SuggestionConsent.given_at)
    )


async def consenting_members(organisation: UUID, emails: Iterable[str]) -> dict[str, UUID]:
    """E-mail → account, for the current members of the organisation among ``emails`` who agreed
    to its suggestions."""
    wanted = sorted(set(emails))
    if not wanted:
        return {}
    consents = await SuggestionConsent.select(
        SuggestionConsent.account, SuggestionConsent.account.email.as_alias("email")
    ).where((SuggestionConsent.organisation == organisation) & SuggestionConsent.account.email.is_in(wanted))
    if not consents:
        return {}
    members = await Membership.select(Membership.account).where(
        (Membership.organisation == organisation)
        & Membership.left_at.is_null()
        & Membership.account.is_in([row["account"] for row in consents])
    )
    current = {row["account"] for row in members}
    return {row["email"]: row["account"] for row in consents if row["account"] in current}


# Statements


async def stored_hashes(organisation: UUID, statement_ids: list[UUID]) -> dict[UUID, str]:
    if not statement_ids:
        return {}
    rows = await XapiStatement.select(XapiStatement.statement_id, XapiStatement.content_hash).where(
        (XapiStatement.organisation == organisation) & XapiStatement.statement_id.is_in(statement_ids)
    )
    return {row["statement_id"]: row["content_hash"] for row in rows}


async def stored_statement(organisation: UUID, statement_id: UUID) -> dict[str, Any] | None:
    """The organisation's statement with this id: ``body`` (JSON text) and ``voided_by``."""
    return (
        await XapiStatement.select(XapiStatement.body, XapiStatement.voided_by)
        .where((XapiStatement.organisation == organisation) & (XapiStatement.statement_id == statement_id))
        .first()
    )


async def insert_statements(rows: list[dict[str, Any]]) -> None:
    if rows:
        await XapiStatement.insert(*(XapiStatement(**row) for row in rows))


# Raw SQL: a batch's voiding statements mark their targets in one UPDATE (a CASE per target, the
# builder cannot say it), not one per voiding statement. PostgreSQL needs the ids typed as UUIDs;
# SQLite stores them as text (and its CAST to an unknown type would make them numbers).
_VOID = (
    "UPDATE xapi_statement SET voided_by = CASE statement_id {cases} END "
    "WHERE organisation = {{}} AND statement_id IN ({targets}) AND verb != {{}} AND voided_by IS NULL"
)


async def void_statements(organisation: UUID, voids: list[tuple[UUID, UUID]]) -> None:
    """Mark each target voided by its voiding statement (``(voiding, target)`` pairs, in batch order:
    the first voiding a target wins), unless the target is itself a voiding statement or voided
    already (1.0.3 Part Two §2.3.2)."""
    if not voids:
        return
    uuid = "CAST({} AS UUID)" if on_postgres() else "{}"
    first: dict[UUID, UUID] = {}
    for voiding, target in voids:
        first.setdefault(target, voiding)
    cases = " ".join(f"WHEN {uuid} THEN {uuid}" for _ in first)
    text = _VOID.format(cases=cases, targets=", ".join(uuid for _ in first))
    pairs = [value for target, voiding in first.items() for value in (target, voiding)]
    await Sql(text).rows(*pairs, organisation, *first, VOIDED)


# Suggestions


async def insert_suggestions(rows: list[dict[str, Any]]) -> None:
    """Add suggestions; one whose source the worker had from the organisation already (even
    rejected or withdrawn) is left out."""
    if rows:
        await Suggestion.insert(*(Suggestion(**row) for row in rows)).on_conflict(
            target=(Suggestion.organisation, Suggestion.owner, Suggestion.source_key),
            action=OnConflictAction.do_nothing,
        )


async def withdraw(organisation: UUID, source_keys: list[str], now: datetime) -> None:
    """The organisation's pending suggestions from these sources are withdrawn (one statement a batch)."""
    if source_keys:
        await Suggestion.update({Suggestion.state: "withdrawn", Suggestion.decided_at: now}).where(
            (Suggestion.organisation == organisation)
            & Suggestion.source_key.is_in(source_keys)
            & (Suggestion.state == "pending")
        )


def _suggestion_columns() -> list:
    return [
        *Suggestion.all_columns(exclude=[Suggestion.evidence]),
        Suggestion.organisation.name.as_alias("organisation_name"),
    ]


async def pending_suggestions(owner: UUID, limit: int) -> list[dict[str, Any]]:
    return (
        await Suggestion.select(*_suggestion_columns())
        .where((Suggestion.owner == owner) & (Suggestion.state == "pending"))
        .order_by(Suggestion.created_at, ascending=False)
        .limit(limit)
    )


async def suggestion_of(owner: UUID, suggestion: UUID) -> dict[str, Any] | None:
    return (
        await Suggestion.select(*_suggestion_columns())
        .where((Suggestion.owner == owner) & (Suggestion.id == suggestion))
        .first()
    )


async def decide(owner: UUID, suggestion: UUID, state: str, now: datetime) -> None:
    """A pending suggestion of the owner's becomes ``state``; any other is left as it is."""
    await Suggestion.update({Suggestion.state: state, Suggestion.decided_at: now}).where(
        (Suggestion.owner == owner) & (Suggestion.id == suggestion) & (Suggestion.state == "pending")
    )


async def accept_pending(owner: UUID, suggestions: list[UUID], now: datetime) -> None:
    """Those of these suggestions of the owner's still pending are accepted (one statement)."""
    await Suggestion.update({Suggestion.state: "accepted", Suggestion.decided_at: now}).where(
        (Suggestion.owner == owner) & Suggestion.id.is_in(suggestions) & (Suggestion.state == "pending")
    )


async def source_keys_of(organisation: UUID, owner_keys: list[tuple[UUID, str]]) -> set[tuple[UUID, str]]:
    """Which (worker, source) pairs the organisation has suggested already."""
    if not owner_keys:
        return set()
    rows = await Suggestion.select(Suggestion.owner, Suggestion.source_key).where(
        (Suggestion.organisation == organisation) & Suggestion.source_key.is_in(sorted({key for _, key in owner_keys}))
    )
    return {(row["owner"], row["source_key"]) for row in rows}


# A person's data


async def erase_account(account: UUID) -> None:
    await Suggestion.delete().where(Suggestion.owner == account)
    await SuggestionConsent.delete().where(SuggestionConsent.account == account)
    await XapiStatement.delete().where(XapiStatement.account == account)


async def suggestions_data(account: UUID) -> list[dict[str, Any]]:
    return await Suggestion.select(
        *Suggestion.all_columns(), Suggestion.organisation.name.as_alias("organisation_name")
    ).where(Suggestion.owner == account)
