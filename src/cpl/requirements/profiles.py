"""Each regulator's audit profile, built from an :class:`~cpl.requirements.audit.Assembly`.

- HCPC (CPD audit): the summary of practice (≤ 500 words), the dated list of every CPD
  activity in the cycle (oldest first), the gaps of three months or more still needing
  an explanation and those explained, 4–6 activities to draw the ~1,500-word statement
  from, and the entries linked to each of the five standards.
- NMC (revalidation): the CPD log with method, topic, dates, minutes, participatory
  minutes and the parts of the Code; practice hours; feedback; the written reflective
  accounts with their parts of the Code; the reflective discussions with the other
  registrant's name, PIN, email and address.
- Social Work England (CPD review): each piece of CPD in the registration year with its
  type, description, date, what was learnt, the impact on practice and the peer reflection.
- SSSC (annual declaration): each core learning element and mandatory topic with the
  entries that cover it, and the hours rule where the worker's part has one.
- CORU (CPD audit): credits in the last 12 months, the activities behind them, and the
  reflections.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from cpl.evidence.summaries import Entry
from cpl.requirements.audit import CPD_KINDS, Assembly, assemble
from cpl.requirements.audit_schemas import (
    AuditProfileOut,
    CoruProfile,
    ElementEvidence,
    ExplainedGap,
    HcpcProfile,
    NmcProfile,
    SsscProfile,
    StandardEvidence,
    StatementGuide,
    SummaryOfPractice,
    SweProfile,
)
from cpl.requirements.library import framework_codes
from cpl.requirements.sign_offs import SignOffs

#: HCPC's CPD profile: summary ≤ 500 words, statement ~1,500 words from 4–6 activities.
SUMMARY_WORDS, STATEMENT_WORDS, STATEMENT_MOST = 500, 1500, 6
HCPC_STANDARDS = "hcpc-cpd-standards"
#: Standards 3 and 4 (CPD improves practice, benefits service users): what the statement shows.
STATEMENT_STANDARDS = ("HCPC.CPD.3", "HCPC.CPD.4")
FEW_REFLECTIONS = "Fewer than four activities have a written reflection; reflect on more to draw the statement from."


def _statement_entries(assembly: Assembly, activities: list[Entry]) -> list[Entry]:
    """Up to six reflected activities, one activity type at a time, those linked to
    standards 3 or 4 first, then the most recent."""
    links = assembly.record.links
    reflected = [entry for entry in activities if entry.reflected]
    reflected.sort(
        key=lambda entry: (
            not any((HCPC_STANDARDS, code) in links.get(entry.id, ()) for code in STATEMENT_STANDARDS),
            -entry.occurred_on.toordinal(),
        )
    )
    chosen: list[Entry] = []
    while len(chosen) < STATEMENT_MOST and len(chosen) < len(reflected):
        types_used = {entry.activity_type for entry in chosen}
        fresh = [entry for entry in reflected if entry not in chosen and entry.activity_type not in types_used]
        chosen.append((fresh or [entry for entry in reflected if entry not in chosen])[0])
    return chosen


def _explained_gaps(assembly: Assembly, gaps) -> list[ExplainedGap]:
    reasons = {item.id: item.reason for item in assembly.record.explanations.get(assembly.registration["id"], [])}
    return [
        ExplainedGap(from_date=gap.from_date, to_date=gap.to_date, reasons=[reasons[i] for i in gap.explanation_ids])
        for gap in gaps
        if gap.explained
    ]


def hcpc(assembly: Assembly) -> HcpcProfile:
    activities = assembly.of_kinds(*CPD_KINDS)
    gaps = [gap for rule in assembly.rules("no_gap") for gap in rule.gaps or []]
    summary = assembly.registration["practice_summary"]
    words = len(summary.split())
    statement = _statement_entries(assembly, activities)
    note = "" if len(statement) >= 4 else FEW_REFLECTIONS
    links = assembly.record.links
    standards = [
        StandardEvidence(
            code=code,
            title=assembly.record.item_titles.get((HCPC_STANDARDS, code), code),
            entry_ids=[entry.id for entry in activities if (HCPC_STANDARDS, code) in links.get(entry.id, ())],
        )
        for code in framework_codes()[HCPC_STANDARDS]
    ]
    return HcpcProfile(
        **assembly.base(),
        summary_of_practice=SummaryOfPractice(
            text=summary, words=words, word_limit=SUMMARY_WORDS, over_limit=words > SUMMARY_WORDS
        ),
        activities=assembly.profile_entries(activities),
        gaps_needing_explanation=[gap for gap in gaps if not gap.explained],
        explained_gaps=_explained_gaps(assembly, gaps),
        statement=StatementGuide(
            word_limit=STATEMENT_WORDS, suggested_entries=assembly.profile_entries(statement), note=note
        ),
        standards=standards,
    )


def nmc(assembly: Assembly) -> NmcProfile:
    cpd = assembly.of_kinds("learning_activity")
    practice = assembly.of_kinds("practice_hours")
    return NmcProfile(
        **assembly.base(),
        cpd_log=assembly.profile_entries(cpd),
        cpd_minutes=sum(entry.minutes for entry in cpd),
        participatory_minutes=sum(entry.minutes for entry in cpd if entry.participatory),
        practice_hours=assembly.profile_entries(practice),
        practice_minutes=sum(entry.minutes for entry in practice),
        feedback=assembly.profile_entries(assembly.of_kinds("feedback")),
        reflective_accounts=assembly.profile_entries(assembly.of_kinds("reflective_account")),
        reflective_discussions=assembly.profile_entries(assembly.of_kinds("reflective_discussion")),
    )


def swe(assembly: Assembly) -> SweProfile:
    return SweProfile(**assembly.base(), records=assembly.profile_entries(assembly.of_kinds(*CPD_KINDS)))


def sssc(assembly: Assembly) -> SsscProfile:
    by_id = {entry.id: entry for entry in assembly.record.entries}
    elements = [
        ElementEvidence(
            code=item.code,
            title=item.title,
            role=item.role,
            element=item.element,
            covered=item.covered,
            entries=assembly.profile_entries([by_id[entry_id] for entry_id in item.entry_ids]),
        )
        for rule in assembly.rules("coverage")
        for item in rule.items or []
    ]
    hours = assembly.rules("min_minutes")
    return SsscProfile(
        **assembly.base(),
        elements=elements,
        learning_minutes=hours[0].achieved if hours else None,
        verification=(
            "If sampled, choose someone in your organisation to verify your CPL; their verification "
            "completes your annual declaration (SSSC, since 3 May 2025). Each entry's sign_offs say "
            "whether the organisation that verified it was vetted, or is a self-declared organisation."
        ),
    )


def coru(assembly: Assembly) -> CoruProfile:
    credits = next((rule.in_units for rule in assembly.rules("min_minutes") if rule.in_units), None)
    activities = assembly.of_kinds(*CPD_KINDS)
    return CoruProfile(
        **assembly.base(),
        credits=credits,
        activities=assembly.profile_entries(activities),
        reflections=assembly.profile_entries([entry for entry in activities if entry.reflected]),
    )


BUILDERS = {"hcpc": hcpc, "nmc": nmc, "swe": swe, "sssc": sssc, "coru": coru}


async def audit_profile(owner: UUID, registration_id: UUID, as_of: date, sign_offs: SignOffs) -> AuditProfileOut:
    """The registration's profile as its regulator would ask for it, as of ``as_of``."""
    assembly = await assemble(owner, registration_id, as_of, sign_offs)
    return BUILDERS[assembly.pack.audit_profile](assembly)
