"""Existing attachments' ``stored_sha256``: the uploaded bytes' ``sha256`` wherever those are the stored bytes.

Only images are re-encoded on ingest; every other file is stored exactly as uploaded, so its
stored digest is its upload digest. An image's stored digest needs its object read from the
store, which a migration does not do: those rows stay null, and readers hash the object.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import UUID, Varchar
from piccolo.table import Table

ID = "2026-12-03T09:05:05:000000"
VERSION = "1.38.0"
DESCRIPTION = "Attachments: backfill stored_sha256 = sha256 for files stored as uploaded (not images)"


class Attachment(Table, tablename="attachment", schema=None):
    id = UUID(primary_key=True)
    sha256 = Varchar(length=64)
    stored_sha256 = Varchar(length=64, null=True, default=None)
    media_type = Varchar(length=100)


async def backfill() -> None:
    await Attachment.update({Attachment.stored_sha256: Attachment.sha256}).where(
        Attachment.stored_sha256.is_null(), Attachment.media_type.not_like("image/%")
    )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="cpl", description=DESCRIPTION)
    manager.add_raw(backfill)
    return manager
