"""Take it all (GDPR Art. 15 and 20): a ZIP of everything cpl holds about the person.

Rules:
- ``POST /v1/me/data-export`` only queues a row; the privacy job makes the file (one job
  claims a row with a conditional update, so several processes never make it twice).
- The ZIP holds ``data.json`` (every section, machine-readable), ``index.html`` (the same,
  readable, from the ``pages/data_export.html`` template) and ``files/`` (every file the
  person uploaded, under its own name, prefixed with the attachment's id).
- It can be downloaded for ``data_export_ttl`` (7 days by default) by its owner only; then
  retention deletes the file and the row says ``expired``.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from anyio import to_thread

from cpl.accounts.events import AccountErased
from cpl.attachments.tables import StorageGarbage
from cpl.db import write_transaction
from cpl.errors import Conflict, CplError, NotFound
from cpl.kernel import clock
from cpl.privacy.sections import DataSections
from cpl.privacy.tables import DataExport
from cpl.settings import Settings
from cpl.storage import Storage
from cpl.templating import environment

MEDIA_TYPE = "application/zip"

logger = logging.getLogger("cpl.privacy")


async def request_data_export(account_id: UUID) -> dict[str, Any]:
    row = DataExport(id=uuid4(), account=account_id, status="queued", created_at=clock.now())
    await DataExport.insert(row)
    return await owned_data_export(account_id, row.id)


async def owned_data_export(account_id: UUID, export_id: UUID) -> dict[str, Any]:
    row = await DataExport.select().where(DataExport.id == export_id).first()
    if row is None or row["account"] != account_id:
        raise NotFound("No data export with this id.")
    return row


async def my_data_exports(account_id: UUID) -> list[dict[str, Any]]:
    return (
        await DataExport.select()
        .where(DataExport.account == account_id)
        .order_by(DataExport.created_at, ascending=False)
        .limit(50)
    )


async def downloadable(account_id: UUID, export_id: UUID) -> dict[str, Any]:
    row = await owned_data_export(account_id, export_id)
    if row["status"] != "done":
        raise Conflict(f"The data export is {row['status']}; it can be downloaded once it is done.")
    return row


def _plain(value: Any) -> Any:
    if isinstance(value, (UUID, datetime, date)):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _write_zip(
    path: Path, records: dict[str, list[dict[str, Any]]], files: list[tuple[str, Path]], name: str, settings: Settings
) -> None:
    """The ZIP on disk (blocking: run in a thread)."""
    data = json.loads(json.dumps(records, default=_plain))
    index = (
        environment()
        .get_template("pages/data_export.html")
        .render(
            service=settings.service_name,
            name=name,
            made_at=clock.now().isoformat(timespec="seconds"),
            sections=[
                {"name": key, "title": key.replace("_", " ").capitalize(), "records": value}
                for key, value in data.items()
            ],
            files=[zip_name for zip_name, _ in files],
        )
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
        archive.writestr("index.html", index)
        for zip_name, local in files:
            archive.write(local, zip_name)


async def _claim_next() -> dict[str, Any] | None:
    for candidate in (
        await DataExport.select(DataExport.id)
        .where(DataExport.status == "queued")
        .order_by(DataExport.created_at)
        .limit(5)
    ):
        claimed = (
            await DataExport.update({DataExport.status: "running"})
            .where((DataExport.id == candidate["id"]) & (DataExport.status == "queued"))
            .returning(DataExport.id)
        )
        if claimed:
            return await DataExport.select().where(DataExport.id == candidate["id"]).first()
    return None


async def _make(settings: Settings, storage: Storage, sections: DataSections, row: dict[str, Any]) -> None:
    records = await sections.records(row["account"])
    account = (records.get("account") or [{}])[0]
    work = Path(tempfile.mkdtemp(prefix="cpl-data-export-"))
    try:
        files = []
        for number, (zip_name, key) in enumerate(await sections.files(row["account"])):
            local = work / str(number)
            await storage.download_file(key, local)
            files.append((zip_name, local))
        zip_path = work / "export.zip"
        await to_thread.run_sync(_write_zip, zip_path, records, files, str(account.get("display_name", "")), settings)
        key = f"exports/{row['id'].hex}"  # the exports area: reconciliation leaves it alone
        await storage.put_file(key, zip_path, MEDIA_TYPE)
        now = clock.now()
        await DataExport.update(
            {
                DataExport.status: "done",
                DataExport.storage_key: key,
                DataExport.size: zip_path.stat().st_size,
                DataExport.finished_at: now,
                DataExport.expires_at: now + settings.data_export_ttl,
            }
        ).where(DataExport.id == row["id"])
    finally:
        await to_thread.run_sync(shutil.rmtree, work, True)


async def _failed(export_id: UUID, detail: str) -> None:
    await DataExport.update({DataExport.status: "failed", DataExport.error: detail}).where(DataExport.id == export_id)


async def run_pending_data_exports(settings: Settings, storage: Storage, sections: DataSections) -> int:
    """Make every queued data export; a failure is recorded on its row. Returns how many were made."""
    made = 0
    while (row := await _claim_next()) is not None:
        try:
            await _make(settings, storage, sections, row)
            made += 1
        except CplError as error:
            await _failed(row["id"], error.detail)
        except Exception:  # recorded, so the person is told rather than left waiting
            logger.exception("data export %s failed", row["id"])
            await _failed(row["id"], "The copy could not be made; ask again later.")
    return made


async def expire_data_exports(now: datetime) -> int:
    """Past their download window the files are queued for deletion and the rows say ``expired``."""
    async with write_transaction():
        rows = await DataExport.select(DataExport.id, DataExport.storage_key).where(
            (DataExport.status == "done") & (DataExport.expires_at < now)
        )
        if rows:
            await StorageGarbage.insert(*[StorageGarbage(object_key=row["storage_key"]) for row in rows])
            await DataExport.update({DataExport.status: "expired", DataExport.storage_key: ""}).where(
                DataExport.id.is_in([row["id"] for row in rows])
            )
    return len(rows)


async def erase_data_exports(erased: AccountErased) -> None:
    """The person's data exports go, their files queued for deletion (GDPR Art. 17)."""
    rows = await DataExport.delete().where(DataExport.account == erased.account_id).returning(DataExport.storage_key)
    keys = [row["storage_key"] for row in rows if row["storage_key"]]
    if keys:
        await StorageGarbage.insert(*[StorageGarbage(object_key=key) for key in keys])
