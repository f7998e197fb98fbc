"""Copies of everything cpl holds about a person (GDPR Art. 15, 20)."""

from __future__ import annotations

from piccolo.columns import UUID, BigInt, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from cpl.accounts.tables import Account


class DataExport(Table, tablename="data_export"):
    """A ZIP of everything cpl holds about the account (``POST /v1/me/data-export``).

    ``status``: ``queued``, ``running``, ``done``, ``failed`` or ``expired`` (the file was
    deleted at the end of its download window).
    """

    id = UUID(primary_key=True)
    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    status = Varchar(length=16, default="queued", index=True)
    storage_key = Varchar(length=100, default="")
    size = BigInt(default=0)
    error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    finished_at = Timestamptz(null=True, default=None)
    #: The end of the download window; the file is purged after it (``cpl retention run``).
    expires_at = Timestamptz(null=True, default=None, index=True)
