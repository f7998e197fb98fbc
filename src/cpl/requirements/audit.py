""" "If audited today": the profile a registration's regulator would ask for, from the record.

The profile covers the pack's own period as of the day asked about (NMC and HCPC: the
registration cycle; Social Work England: the registration year to 30 November; SSSC: the
current year of the registration; CORU: the last 12 months) and carries every
requirement's status beside the evidence. Only the worker's live entries appear.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from cpl.evidence.repository import live_details
from cpl.evidence.summaries import Entry
from cpl.requirements.audit_schemas import LinkedItem, ProfileEntry, RequirementLine, SignOffOut
from cpl.requirements.library import shipped_library
from cpl.requirements.pack import RequirementPack
from cpl.requirements.peers import peer_out
from cpl.requirements.periods import Period, period_for
from cpl.requirements.progress import pack_for, registration_progress
from cpl.requirements.schemas import PeriodOut, RegistrationProgress, RuleProgress
from cpl.requirements.service import owned_registration
from cpl.requirements.sign_offs import SignOffs
from cpl.requirements.worker_record import WorkerRecord, load_record, snapshot

#: Kinds that are learning (what HCPC, SWE and CORU records list), as opposed to
#: practice hours and feedback.
CPD_KINDS = ("learning_activity", "reflective_account", "reflective_discussion")


@dataclass
class Assembly:
    """What every profile builder works from."""

    pack: RequirementPack
    registration: dict[str, Any]
    record: WorkerRecord
    progress: RegistrationProgress
    period: Period
    as_of: date
    #: The period's entries, oldest first.
    entries: list[Entry]
    details: dict[str, dict[str, Any]]
    #: The period's entries' current verifications, by entry id.
    sign_offs: dict[UUID, list[SignOffOut]]

    def of_kinds(self, *kinds: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.kind in kinds]

    def rules(self, rule_type: str) -> list[RuleProgress]:
        return [rule for rule in self.progress.rules if rule.type == rule_type]

    def profile_entry(self, entry: Entry) -> ProfileEntry:
        detail = self.details.get(entry.id, {})
        reflection = detail.get("reflection") or {}
        peer = self.record.peers.get(entry.id)
        titles = self.record.item_titles
        return ProfileEntry(
            id=entry.id,
            kind=entry.kind,
            title=entry.title,
            activity_type=entry.activity_type,
            occurred_on=entry.occurred_on,
            ended_on=entry.ends_on if entry.ends_on != entry.occurred_on else None,
            minutes=entry.minutes,
            participatory=entry.participatory,
            description=detail.get("description", ""),
            what_happened=reflection.get("what_happened", ""),
            what_i_learned=reflection.get("what_i_learned", ""),
            how_it_changes_practice=reflection.get("how_it_changes_practice", ""),
            linked_items=[
                LinkedItem(framework=key, code=code, title=titles.get((key, code), code))
                for key, code in self.record.direct_links.get(entry.id, [])
            ],
            peer_discussion=peer_out(peer) if peer else None,
            sign_offs=self.sign_offs.get(UUID(str(entry.id)), []),
        )

    def profile_entries(self, entries: list[Entry]) -> list[ProfileEntry]:
        return [self.profile_entry(entry) for entry in entries]

    def base(self) -> dict[str, Any]:
        return {
            "register": self.pack.register,
            "edition": self.pack.edition,
            "pack_title": self.pack.title,
            "as_of": self.as_of,
            "registration": self.progress.registration,
            "status": self.progress.status,
            "period": PeriodOut(start=self.period.start, end=self.period.end),
            "requirements": [
                RequirementLine(
                    id=rule.id,
                    title=rule.title,
                    status=rule.status,
                    unit=rule.unit,
                    required=rule.required,
                    achieved=rule.achieved,
                    remaining=rule.remaining,
                    due_on=rule.due_on,
                )
                for rule in self.progress.rules
            ],
        }


async def assemble(owner: UUID, registration_id: UUID, as_of: date, sign_offs: SignOffs) -> Assembly:
    """Everything a profile of the owner's registration is built from, as of ``as_of``."""
    library = shipped_library()
    async with snapshot():
        registration = await owned_registration(owner, registration_id)
        record = await load_record(owner)
        pack = pack_for(library, registration, as_of)
        period = period_for(pack.deadline, registration["cycle_start"], registration["renewal_date"], as_of)
        entries = sorted(
            record.ended_between(period.start, period.counted_until(as_of), None), key=lambda entry: entry.occurred_on
        )
        details = await live_details(owner, [entry.id for entry in entries])
        signed = await sign_offs.of([UUID(str(entry.id)) for entry in entries])
    return Assembly(
        pack=pack,
        registration=registration,
        record=record,
        progress=registration_progress(library, registration, record, as_of),
        period=period,
        as_of=as_of,
        entries=entries,
        details=details,
        sign_offs=signed,
    )
