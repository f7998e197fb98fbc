"""Attachments, their links to entries, direct-upload slots, and objects waiting to be deleted."""

from __future__ import annotations

from piccolo.columns import UUID, BigInt, ForeignKey, Integer, OnDelete, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from cpl.accounts.tables import Account
from cpl.evidence.tables import EvidenceEntry


class Attachment(Table, tablename="attachment"):
    """A file a worker stored once and may link to many entries (one certificate, many entries).

    The same bytes from the same worker make one attachment: ``(owner, sha256)`` is unique.
    The row always names an object that exists: it is committed pointing at the staging
    key the file was written to, and moves to the final key (``state`` ``stored``) only
    once the object has been promoted there.
    """

    id = UUID(primary_key=True)
    owner = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    #: SHA-256 of the bytes as the worker sent them: how a repeat upload is recognised.
    sha256 = Varchar(length=64)
    #: Bytes as sent.
    size = BigInt()
    #: Bytes of the stored object (images are stored re-encoded, so this may differ from ``size``).
    stored_size = BigInt()
    #: SHA-256 of the stored object, the bytes cpl serves and exports (equal to ``sha256`` unless
    #: re-encoded). Null only for images stored before it was recorded: readers hash the object then.
    stored_sha256 = Varchar(length=64, null=True, default=None)
    #: Bytes of the thumbnail (0 when there is none); the quota counts ``stored_size + thumbnail_size``.
    thumbnail_size = BigInt(default=0)
    media_type = Varchar(length=100)
    #: The display name, made safe (see :mod:`cpl.attachments.filenames`); never a storage path.
    filename = Varchar(length=255)
    #: ``staged`` (row committed, object not yet promoted) or ``stored``.
    state = Varchar(length=16)
    object_key = Varchar(length=100)
    thumbnail_key = Varchar(length=100, null=True, default=None)
    width = Integer(null=True, default=None)
    height = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class AttachmentLink(Table, tablename="attachment_link"):
    """One attachment supporting one entry. Unlinking the last entry deletes the attachment."""

    id = Serial(primary_key=True)
    attachment = ForeignKey(references=Attachment, on_delete=OnDelete.cascade, null=False)
    entry = ForeignKey(references=EvidenceEntry, on_delete=OnDelete.cascade, null=False, index=True)
    linked_at = Timestamptz(default=TimestamptzNow())


class UploadSlot(Table, tablename="upload_slot"):
    """Permission to send one file straight to the store, then have it checked and attached.

    The object goes to ``object_key`` (in the ``uploads`` area); completing the slot checks
    it and attaches it, and records the attachment so a repeated completion answers the
    same. Past ``expires_at`` a slot and its object are cleaned up, completed or not.
    """

    id = UUID(primary_key=True)
    owner = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    entry = ForeignKey(references=EvidenceEntry, on_delete=OnDelete.cascade, null=False)
    filename = Varchar(length=255)
    size = BigInt()
    sha256 = Varchar(length=64)
    media_type = Varchar(length=100)
    object_key = Varchar(length=100)
    attachment = ForeignKey(references=Attachment, on_delete=OnDelete.set_null, null=True, default=None)
    expires_at = Timestamptz(index=True)
    created_at = Timestamptz(default=TimestamptzNow())


class StorageGarbage(Table, tablename="storage_garbage"):
    """An object to delete from the store, recorded in the same transaction that let go of it.

    Rows and objects live in different systems: a row is deleted in a transaction, its
    object afterwards. Writing the key here inside that transaction means a crash or a
    store outage in between leaves a to-do, never an untracked orphan.
    """

    id = Serial(primary_key=True)
    object_key = Varchar(length=100)
    queued_at = Timestamptz(default=TimestamptzNow())
