"""The scale bench's database: its measured people, and a population loaded around them with COPY.

Everything goes through cpl's own tables (after ``cpl migrate``), with ``COPY`` (asyncpg's
``copy_records_to_table``): 1,000,000 entries through the API would take hours, and through
``INSERT`` many minutes. Sessions are written as ``cpl.accounts`` writes them (the SHA-256 of a
random bearer token), so the measured people need no sign-up and no password hashing.

The population is what a register's workforce looks like to the queries measured: workers in
employers of 1,000, each worker a member of their employer with one registration (SSSC, early
learning and childcare), a share of everything with the employer, a supervisor (one per 20
workers, a member of the same employer) and 100 entries over three years. The first employer is
the measured supervisor's own, so at scale their organisation holds 1,000 more sharing workers
than on the almost empty database: the team view's reads of shares, links and memberships have
the work they have in production.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import asyncpg

WORKERS_PER_EMPLOYER = 1_000
WORKERS_PER_SUPERVISOR = 20
ENTRIES_PER_WORKER = 100
#: How many rows are sent per COPY: memory stays flat whatever the population.
CHUNK = 50_000

COLUMNS = {
    "account": ("id", "email", "display_name", "password_hash", "is_admin", "created_at", "email_verified_at"),
    "auth_session": ("id", "account", "token_hash", "device_name", "created_at", "last_used_at", "expires_at"),
    "organisation": ("id", "name", "kind", "created_at"),
    "membership": ("id", "organisation", "account", "role", "joined_at"),
    "supervision_link": ("id", "organisation", "supervisor", "worker", "created_at"),
    "evidence_share": ("id", "owner", "organisation", "scope", "created_at", "end_reason"),
    "registration": (
        "id",
        "owner",
        "register",
        "registration_number",
        "part",
        "cycle_start",
        "renewal_date",
        "pack_edition",
        "practice_summary",
        "created_at",
        "updated_at",
    ),
    "evidence_entry": (
        "id",
        "owner",
        "kind",
        "title",
        "occurred_on",
        "duration_minutes",
        "participatory",
        "activity_type",
        "description",
        "reflection",
        "tags",
        "search_text",
        "tag_index",
        "content_hash",
        "version",
        "change_seq",
        "created_at",
        "updated_at",
    ),
    "evidence_change_counter": ("owner", "last_seq"),
    #: A line still to be judged (bench.workforce), as the migration's backfill or a ShareMade event makes it.
    "workforce_line": ("organisation", "worker", "display_name", "marked", "judged", "status_rank", "registrations"),
}
ACTIVITIES = ("course", "reading", "supervision", "reflective_account", "conference")


@dataclass
class Rows:
    """Rows waiting to be copied, table by table, sent whenever a table's reach :data:`CHUNK`."""

    connection: asyncpg.Connection
    pending: dict[str, list[tuple]] = field(default_factory=lambda: {table: [] for table in COLUMNS})

    async def add(self, table: str, row: tuple) -> None:
        self.pending[table].append(row)
        if len(self.pending[table]) >= CHUNK:
            await self._copy(table)

    async def flush(self) -> None:
        for table in COLUMNS:  # in foreign-key order
            await self._copy(table)

    async def _copy(self, table: str) -> None:
        if rows := self.pending[table]:
            if table not in ("account", "organisation"):
                await self._copy("account")
                await self._copy("organisation")
            await self.connection.copy_records_to_table(table, records=rows, columns=COLUMNS[table])
            rows.clear()


def _now() -> datetime:
    return datetime.now(UTC)


async def account(rows: Rows, label: str, *, with_token: bool) -> tuple[uuid.UUID, str]:
    """An account (address confirmed), and when asked a session: its id and bearer token."""
    account_id, now = uuid.uuid4(), _now()
    email = f"{label}-{account_id.hex[:12]}@example.org"
    await rows.add("account", (account_id, email, label.title(), "", False, now, now))
    token = ""
    if with_token:
        token = secrets.token_urlsafe(32)
        digest = hashlib.sha256(token.encode()).hexdigest()
        await rows.add("auth_session", (uuid.uuid4(), account_id, digest, "bench", now, now, now + timedelta(days=30)))
    return account_id, token


async def organisation(rows: Rows, name: str) -> uuid.UUID:
    organisation_id = uuid.uuid4()
    await rows.add("organisation", (organisation_id, name, "employer", _now()))
    return organisation_id


async def member(rows: Rows, organisation_id: uuid.UUID, account_id: uuid.UUID, role: str) -> None:
    await rows.add("membership", (uuid.uuid4(), organisation_id, account_id, role, _now()))


async def entries(rows: Rows, owner: uuid.UUID, count: int, today: date) -> None:
    """``count`` entries over the last three years, and the owner's change counter."""
    now = _now()
    for number in range(count):
        occurred = today - timedelta(days=(number * 11) % 1095)
        activity = ACTIVITIES[number % len(ACTIVITIES)]
        title = f"{activity.replace('_', ' ').title()} {number}"
        row = (uuid.uuid4(), owner, "learning_activity", title, occurred, 60, number % 2 == 0, activity, "")
        search = title.lower()
        await rows.add("evidence_entry", (*row, "{}", "[]", search, "", "", 1, number + 1, now, now))
    await rows.add("evidence_change_counter", (owner, count))


async def sharing_worker(
    rows: Rows, organisation_id: uuid.UUID, supervisor: uuid.UUID, label: str, count: int, today: date
) -> uuid.UUID:
    """A worker of the employer: member, registration, a share of everything, supervised, ``count`` entries."""
    worker, _ = await account(rows, label, with_token=False)
    await member(rows, organisation_id, worker, "worker")
    await rows.add("supervision_link", (uuid.uuid4(), organisation_id, supervisor, worker, _now()))
    await rows.add("evidence_share", (uuid.uuid4(), worker, organisation_id, "filter", _now(), ""))
    await registration(rows, worker, today)
    await entries(rows, worker, count, today)
    return worker


async def registration(rows: Rows, owner: uuid.UUID, today: date) -> None:
    start, renewal = today - timedelta(days=400), today + timedelta(days=1400)
    now = _now()
    await rows.add("registration", (uuid.uuid4(), owner, "sssc", "SSSC-1", "elc", start, renewal, "", "", now, now))


def employers_for(first_worker: int, count: int) -> Iterator[tuple[int, int]]:
    """``(employer number, workers)`` for the population's workers ``first_worker`` onwards."""
    worker = first_worker
    while worker < first_worker + count:
        employer = worker // WORKERS_PER_EMPLOYER
        ends = min((employer + 1) * WORKERS_PER_EMPLOYER, first_worker + count)
        yield employer, ends - worker
        worker = ends


async def population(url: str, first_worker: int, count: int, employers: dict[int, uuid.UUID], today: date) -> None:
    """Workers ``first_worker`` to ``first_worker + count``, each with their employer and supervisor.

    ``employers`` maps an employer's number to its id (employer 0 is the measured supervisor's);
    missing ones are created and added.
    """
    connection = await asyncpg.connect(url)
    try:
        async with connection.transaction():
            rows = Rows(connection)
            for number, workers in employers_for(first_worker, count):
                if number not in employers:
                    employers[number] = await organisation(rows, f"Employer {number}")
                supervisor = None
                for index in range(workers):
                    if supervisor is None or index % WORKERS_PER_SUPERVISOR == 0:
                        supervisor, _ = await account(rows, "supervisor", with_token=False)
                        await member(rows, employers[number], supervisor, "supervisor")
                    await sharing_worker(rows, employers[number], supervisor, "worker", ENTRIES_PER_WORKER, today)
            await rows.flush()
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


async def measured_people(url: str, today: date, ingest_streams: int) -> tuple[dict[str, object], uuid.UUID]:
    """The people whose requests are timed, on the almost empty database: their bearer tokens by
    role (``ingest``: a tuple, one per stream), and the id of their employer (employer 0)."""
    connection = await asyncpg.connect(url)
    try:
        async with connection.transaction():
            rows = Rows(connection)
            employer = await organisation(rows, "Employer 0")
            tokens: dict[str, object] = {}
            for role in ("putter", "typical", "heavy", "supervisor"):
                person, tokens[role] = await account(rows, role, with_token=True)
                await member(rows, employer, person, "supervisor" if role == "supervisor" else "worker")
                if role == "typical":
                    await registration(rows, person, today)
                    await entries(rows, person, ENTRIES_PER_WORKER, today)
                if role == "heavy":
                    await entries(rows, person, 10_000, today)
                if role == "supervisor":
                    for number in range(WORKERS_PER_SUPERVISOR):
                        await sharing_worker(rows, employer, person, f"supervisee{number}", ENTRIES_PER_WORKER, today)
            streams = [await account(rows, "ingest", with_token=True) for _ in range(ingest_streams)]
            tokens["ingest"] = tuple(token for _, token in streams)
            await rows.flush()
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return tokens, employer
