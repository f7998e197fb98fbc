"""A worker's registrations and the explanations of gaps in their record.

Rules:
- A registration is its owner's alone: anyone else's id answers "not found", for reading,
  changing, deleting, and everything hanging off it (progress, audit profile, gaps).
- ``PUT`` creates the registration with the client's id (201) or replaces it (200);
  sending what is stored already changes nothing.
- ``register`` must be a register with a shipped pack, ``part`` one of its parts,
  ``pack_edition`` (when given) one of its editions, and the renewal date after the cycle
  start and no further from it than the register's cycle length (``cycle_months``);
  a gap explanation's days must lie within the registration's cycle; anything else is
  refused with 422 naming the field, and nothing is written.
- Deleting a registration deletes its gap explanations; the evidence stays.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any
from uuid import UUID

from asyncpg.exceptions import UniqueViolationError

from cpl.accounts.events import AccountErased
from cpl.db import write_transaction
from cpl.errors import NotFound, invalid_field
from cpl.kernel import clock
from cpl.kernel.events import EventBus
from cpl.requirements import repository
from cpl.requirements.events import RegistrationChanged
from cpl.requirements.library import PackLibrary, shipped_library
from cpl.requirements.pack import RequirementPack
from cpl.requirements.periods import add_months
from cpl.requirements.schemas import GapExplanationIn, GapExplanationOut, RegistrationIn, RegistrationOut
from cpl.requirements.tables import GapExplanation, Registration

CONTENT_FIELDS = tuple(RegistrationIn.model_fields)


def check_registration(data: RegistrationIn, library: PackLibrary) -> None:
    """The register, part and edition must be ones the shipped packs know."""
    editions = library.editions.get(data.register_key)
    if editions is None:
        raise invalid_field(
            "register", f"unknown register {data.register_key!r}; known: {', '.join(sorted(library.editions))}"
        )
    if data.pack_edition:
        pinned = library.edition(data.register_key, data.pack_edition)
        if pinned is None:
            known = ", ".join(pack.edition for pack in editions)
            raise invalid_field(
                "pack_edition", f"{data.register_key} has no edition {data.pack_edition!r}; known: {known}"
            )
        editions = (pinned,)
    parts = {part for pack in editions for part in pack.parts}
    if data.part not in parts:
        known = ", ".join(sorted(parts))
        raise invalid_field("part", f"{data.part!r} is not a part of the {data.register_key} register; known: {known}")
    _check_cycle_length(data, editions)


def _check_cycle_length(data: RegistrationIn, editions: tuple[RequirementPack, ...]) -> None:
    """The renewal date is at most the register's cycle length after the cycle start
    (``cycle_months`` in its packs; the longest of the editions that may apply)."""
    lengths = [pack.cycle_months for pack in editions if pack.cycle_months is not None]
    if not lengths:
        return
    if data.cycle_start.year > date.max.year - 10:  # no cycle runs over 120 months (the pack format's bound)
        return
    latest = add_months(data.cycle_start, max(lengths))
    if data.renewal_date > latest:
        raise invalid_field(
            "renewal_date",
            f"a {data.register_key} cycle runs at most {max(lengths)} months: the renewal date must be on or "
            f"before {latest.isoformat()}",
        )


def _check_within_cycle(registration: dict[str, Any], data: GapExplanationIn) -> None:
    """A gap explained is a gap in the registration's cycle: both its days lie within it."""
    cycle = f"{registration['cycle_start'].isoformat()} to {registration['renewal_date'].isoformat()}"
    for name in ("starts_on", "ends_on"):
        day = getattr(data, name)
        if not registration["cycle_start"] <= day <= registration["renewal_date"]:
            raise invalid_field(name, f"must lie within the registration's cycle, {cycle}")


def registration_out(row: dict[str, Any]) -> RegistrationOut:
    return RegistrationOut(**{name: row[name] for name in RegistrationOut.__struct_fields__})


async def owned_registration(owner: UUID, registration_id: UUID) -> dict[str, Any]:
    row = await Registration.select().where(Registration.id == registration_id).first()
    if row is None or row["owner"] != owner:
        raise NotFound("No registration with this id.")
    return row


async def list_registrations(owner: UUID) -> list[dict[str, Any]]:
    return (
        await Registration.select()
        .where(Registration.owner == owner)
        .order_by(Registration.register)
        .order_by(Registration.cycle_start)
    )


async def put_registration(
    owner: UUID, registration_id: UUID, data: RegistrationIn, events: EventBus | None = None
) -> tuple[bool, dict[str, Any]]:
    """Create or replace; returns whether it was created, and the row as it now stands. A change
    publishes :class:`~cpl.requirements.events.RegistrationChanged` (an import tells others once at
    its end, ``cpl.exports.restore``)."""
    check_registration(data, shipped_library())
    values = data.model_dump(include=set(CONTENT_FIELDS), by_alias=True)
    now = clock.now()
    async with write_transaction():
        row = await Registration.select().where(Registration.id == registration_id).first()
        if row is None:
            created = {"id": registration_id, "owner": owner, **values, "created_at": now, "updated_at": now}
            try:
                await Registration.insert(Registration(**created))
            except (UniqueViolationError, sqlite3.IntegrityError) as error:
                raise NotFound("No registration with this id.") from error
            await _changed(events, owner, registration_id)
            return True, created
        if row["owner"] != owner:
            raise NotFound("No registration with this id.")
        if all(row[name] == value for name, value in values.items()):
            return False, row
        await Registration.update({**values, "updated_at": now}).where(Registration.id == registration_id)
        await _changed(events, owner, registration_id)
        return False, {**row, **values, "updated_at": now}


async def _changed(events: EventBus | None, owner: UUID, registration_id: UUID) -> None:
    if events is not None:
        await events.publish(RegistrationChanged(owner=owner, registration_id=registration_id))


async def delete_registration(events: EventBus, owner: UUID, registration_id: UUID) -> None:
    async with write_transaction():
        await owned_registration(owner, registration_id)
        await Registration.delete().where(Registration.id == registration_id)
        await _changed(events, owner, registration_id)


def explanation_out(row: dict[str, Any]) -> GapExplanationOut:
    return GapExplanationOut(
        id=row["id"],
        registration_id=row["registration"],
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        reason=row["reason"],
    )


async def list_explanations(owner: UUID, registration_id: UUID) -> list[GapExplanationOut]:
    await owned_registration(owner, registration_id)
    rows = (
        await GapExplanation.select()
        .where(GapExplanation.registration == registration_id)
        .order_by(GapExplanation.starts_on)
    )
    return [explanation_out(row) for row in rows]


async def put_explanation(
    owner: UUID, registration_id: UUID, explanation_id: UUID, data: GapExplanationIn
) -> tuple[bool, GapExplanationOut]:
    """Create or replace an explanation of the days ``starts_on``…``ends_on``."""
    values = {"starts_on": data.starts_on, "ends_on": data.ends_on, "reason": data.reason}
    async with write_transaction():
        _check_within_cycle(await owned_registration(owner, registration_id), data)
        row = await GapExplanation.select().where(GapExplanation.id == explanation_id).first()
        if row is None:
            created = {"id": explanation_id, "owner": owner, "registration": registration_id, **values}
            try:
                await GapExplanation.insert(GapExplanation(**created))
            except (UniqueViolationError, sqlite3.IntegrityError) as error:
                raise NotFound("No gap explanation with this id.") from error
            return True, explanation_out(created)
        if row["owner"] != owner or row["registration"] != registration_id:
            raise NotFound("No gap explanation with this id.")
        await GapExplanation.update(values).where(GapExplanation.id == explanation_id)
        return False, explanation_out({**row, **values})


async def delete_explanation(owner: UUID, registration_id: UUID, explanation_id: UUID) -> None:
    async with write_transaction():
        await owned_registration(owner, registration_id)
        deleted = (
            await GapExplanation.delete()
            .where((GapExplanation.id == explanation_id) & (GapExplanation.registration == registration_id))
            .returning(GapExplanation.id)
        )
        if not deleted:
            raise NotFound("No gap explanation with this id.")


async def erase_owner_registrations(erased: AccountErased) -> None:
    """The person's registrations and gap explanations go (GDPR Art. 17)."""
    await GapExplanation.delete().where(GapExplanation.owner == erased.account_id)
    await Registration.delete().where(Registration.owner == erased.account_id)


async def registrations_data(owner: UUID) -> list[dict[str, Any]]:
    return await Registration.select().where(Registration.owner == owner)


async def gap_explanations_data(owner: UUID) -> list[dict[str, Any]]:
    return await GapExplanation.select().where(GapExplanation.owner == owner)


async def registrations_of(owners: list[UUID]) -> list[dict[str, Any]]:
    """Every registration of these owners, what rules need of each (reminders read them 500 workers at
    a time, bench.reminders): id, owner, register, part, cycle_start, renewal_date, pack_edition."""
    return await repository.registrations_of(owners)
