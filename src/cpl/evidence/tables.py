"""Evidence entries, each owner's change counter for sync, and idempotency records."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    UUID,
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from cpl.accounts.tables import Account


class EvidenceEntry(Table, tablename="evidence_entry"):
    """One piece of evidence of learning, owned by the worker who logged it.

    Deleting leaves a tombstone (``deleted_at`` set, content cleared) so that every device
    learns of the deletion through sync.
    """

    id = UUID(primary_key=True)
    owner = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False)
    kind = Varchar(length=48)
    title = Varchar(length=200)
    occurred_on = Date()
    ended_on = Date(null=True, default=None)
    duration_minutes = Integer(default=0)
    participatory = Boolean(default=False)
    activity_type = Varchar(length=32)
    description = Text(default="")
    #: ``{"what_happened", "what_i_learned", "how_it_changes_practice"}``.
    reflection = JSON(default={})
    tags = JSON(default=[])
    #: Lower-cased title, description and reflection, for free-text search on any database.
    search_text = Text(default="")
    #: Lower-cased tags, each between line breaks, for exact tag filters on any database.
    tag_index = Text(default="")
    #: SHA-256 of the entry's content as the client sent it: how replays are recognised.
    content_hash = Varchar(length=64)
    version = Integer(default=1)
    #: The owner's change counter at the entry's last change; the sync cursor orders by it.
    change_seq = BigInt()
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    deleted_at = Timestamptz(null=True, default=None)


class EvidenceChangeCounter(Table, tablename="evidence_change_counter"):
    """Per-owner counter, bumped inside every write transaction.

    Bumping it locks the owner's row until commit, so one owner's changes commit in the
    order of their numbers: a sync cursor can never skip a change committed late.
    """

    owner = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, primary_key=True)
    last_seq = BigInt(default=0)
    #: The highest change number of a deletion tombstone purged by retention: a sync cursor
    #: below it may have missed a deletion, so that client must sync again from the start.
    tombstones_purged_through = BigInt(default=0)


class IdempotencyRecord(Table, tablename="idempotency_record"):
    """The first response to a ``POST`` carrying an ``Idempotency-Key``, kept for replays."""

    id = Serial(primary_key=True)
    owner = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False)
    key = Varchar(length=255)
    request_hash = Varchar(length=64)
    #: ``in_progress`` until the first request finishes, then ``done``.
    state = Varchar(length=16)
    #: The node (server process, ``node_beat``) running the first request; empty for older rows.
    holder = Varchar(length=64, default="")
    response_status = Integer(null=True, default=None)
    response_body = Text(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
