"""Event handlers: whatever may change a worker's workforce lines marks them, in the transaction of
the change (CONVENTIONS rule 13; subscribed in ``cpl.app.subscribe_handlers``).

A line is judged from the worker's shares with the organisation, the entries they admit, those
entries' framework links and peer discussions, and the worker's registrations; so every event
about one of these marks all the worker's lines (one indexed update; nothing when they share with
no organisation). A share made with an organisation itself makes the line if there is none. A
supervision link is not part of a line (supervisors and the team filter are read live), and names
change only by erasure, which deletes the lines.
"""

from __future__ import annotations

from cpl.accounts.events import AccountErased
from cpl.competences.events import EntryLinksChanged
from cpl.evidence.events import EntriesSaved, EntryDeleted
from cpl.exports.events import RecordImported
from cpl.organisations.events import MembershipEnded
from cpl.requirements.events import PeerDiscussionChanged, RegistrationChanged
from cpl.sharing.events import ShareMade, ShareRevoked
from cpl.workforce import store

#: Events naming the worker whose record changed as ``owner``.
RECORD_CHANGES = (
    EntriesSaved,
    EntryDeleted,
    EntryLinksChanged,
    PeerDiscussionChanged,
    RegistrationChanged,
    RecordImported,
    ShareRevoked,
)


async def mark_owner(changed: object) -> None:
    """Something the worker's lines are judged from changed (any of :data:`RECORD_CHANGES`)."""
    await store.mark_worker(changed.owner)  # type: ignore[attr-defined]


async def mark_new_share(made: ShareMade) -> None:
    """A share with the organisation itself puts the worker in its workforce (a share with one of
    its supervisors does not)."""
    if made.supervisor is None:
        await store.mark_line(made.organisation, made.owner)


async def mark_leaver(left: MembershipEnded) -> None:
    """Leaving ends the worker's shares with the organisation (``cpl.sharing``): their line goes
    when next judged."""
    await store.mark_worker(left.account)


async def erase_worker_lines(erased: AccountErased) -> None:
    """Lines are derived from the worker's record: they go with it (GDPR Art. 17)."""
    await store.erase_worker(erased.account_id)
