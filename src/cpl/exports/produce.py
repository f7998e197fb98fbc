"""Making one export's file in a work folder, from the portable record, in any of the five formats.

Memory stays flat whatever the size: the record is the only thing held (text, not files);
attachments go from the store into the bundle a chunk at a time (``read_chunks``), and every
file is written to disk in a worker thread, never built in memory.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from anyio import to_thread

from cpl.accounts import credential_subject
from cpl.attachments.ingest import settled
from cpl.attachments.tables import Attachment
from cpl.credentials import issue_clr
from cpl.errors import CplError
from cpl.exports.bundle import BUNDLE_FORMAT, BundleWriter
from cpl.exports.formats import CSV_TYPE, JSON_TYPE, JWT_TYPE, PDF_TYPE, file_of, json_bytes, write_csv, write_json
from cpl.exports.pdf import render_portfolio, sign_pdf, signing_identity
from cpl.exports.portable_record import record_files
from cpl.settings import Settings
from cpl.signing import Signer, sign_jws
from cpl.storage import Storage

logger = logging.getLogger(__name__)
Advance = Callable[[int], Awaitable[None]]


class ExportFailed(CplError):
    """The export could not be made; ``detail`` says why, for the worker."""

    title = "Export failed"


@dataclass(frozen=True)
class Made:
    path: Path
    media_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Job:
    """What making one export needs."""

    settings: Settings
    storage: Storage
    signer: Signer
    export_id: UUID
    record: dict[str, Any]
    work: Path
    advance: Advance
    #: ``bom`` and ``credential_form`` (see ``ExportOptionsIn``).
    options: dict[str, Any]

    @property
    def verify_url(self) -> str:
        return f"{self.settings.public_base_url.rstrip('/')}/verify/{self.export_id}"

    def sign(self, payload: bytes, typ: str) -> str:
        return sign_jws(self.signer, payload, typ)


def digest_of(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return path.stat().st_size, digest.hexdigest()


async def _readable(job: Job, ids: list[UUID]) -> dict[str, dict[str, Any]]:
    """The attachments' rows by id, staged ones promoted first so no promotion deletes what the export reads."""
    columns = (Attachment.id, Attachment.state, Attachment.object_key, Attachment.thumbnail_key)
    rows = await Attachment.select(*columns).where(Attachment.id.is_in(ids))
    return {str(row["id"]): await settled(job.storage, row) for row in rows}


async def _images(job: Job) -> dict[str, Path]:
    """Local copies of the images for the PDF: the 320 px thumbnails stored with each image
    (the full image only where none was stored), not the files themselves."""
    wanted = [file["id"] for file in record_files(job.record) if file["media_type"].startswith("image/")]
    if not wanted:
        return {}
    rows = await _readable(job, [UUID(value) for value in wanted])
    folder = job.work / "images"
    await to_thread.run_sync(lambda: folder.mkdir(exist_ok=True))
    images = {}
    for row in rows.values():
        path = folder / row["id"].hex
        await job.storage.download_file(row["thumbnail_key"] or row["object_key"], path)
        images[str(row["id"])] = path
    return images


async def _pdf(job: Job) -> Path:
    out = job.work / "portfolio.pdf"
    images = await _images(job)
    await to_thread.run_sync(render_portfolio, job.record, job.verify_url, out, images)
    await to_thread.run_sync(_sign_portfolio, job, out)
    return out


def _sign_portfolio(job: Job, out: Path) -> None:
    """The PAdES signature, with the configured certificate or the issuer key's own (blocking)."""
    reason = f"Export {job.export_id} issued by {job.settings.service_name}; check it at {job.verify_url}"
    try:
        identity = signing_identity(job.settings, job.signer)
    except (OSError, ValueError) as error:
        logger.error("The PDF signing key or certificate cannot be loaded: %s", error)
        raise ExportFailed("The PDF could not be signed: an operator must fix the signing certificate.") from error
    sign_pdf(out, identity, reason)


async def _csv(job: Job, *, bom: bool = False) -> Path:
    out = job.work / "entries.csv"
    await to_thread.run_sync(lambda: write_csv(job.record, out, bom=bom))
    return out


async def _credential(job: Job) -> tuple[dict[str, Any], str]:
    subject_id = await credential_subject(UUID(job.record["worker"]["id"]))
    issued = await issue_clr(job.record, job.settings, subject_id)
    return issued["clr"], issued["clr_jwt"]


async def _stream_attachments(job: Job, writer: BundleWriter) -> None:
    """Each attachment from the store into the bundle, a chunk at a time, checked against the record's digest."""
    files = record_files(job.record)
    keys = {}
    for start in range(0, len(files), 500):
        rows = await _readable(job, [UUID(file["id"]) for file in files[start : start + 500]])
        keys.update({attachment_id: row["object_key"] for attachment_id, row in rows.items()})
    for file in files:
        if file["id"] not in keys:
            raise ExportFailed(f"The file {file['filename']} was removed while the export ran; export again.")
        await to_thread.run_sync(writer.begin, file["bundle_path"], file["size"], file["media_type"])
        async for chunk in job.storage.read_chunks(keys[file["id"]]):
            await to_thread.run_sync(writer.write, chunk)
        if await to_thread.run_sync(writer.end) != file["sha256"]:
            raise ExportFailed(
                f"The stored copy of {file['filename']} does not match its digest; an operator has been told."
            )
        await job.advance(1)


async def _bundle(job: Job) -> tuple[Path, tuple[int, str]]:
    """The bundle, with its size and SHA-256 as they were written (no second read of the file)."""
    out = job.work / "bundle.zip"
    writer = await to_thread.run_sync(BundleWriter, out)
    try:
        await to_thread.run_sync(writer.add_bytes, "record.json", json_bytes(job.record), JSON_TYPE)
        await to_thread.run_sync(writer.add_file, "entries.csv", await _csv(job), CSV_TYPE)
        await to_thread.run_sync(writer.add_file, "portfolio.pdf", await _pdf(job), PDF_TYPE)
        clr, clr_jwt = await _credential(job)
        await to_thread.run_sync(writer.add_bytes, "credential/clr.json", json_bytes(clr), JSON_TYPE)
        await to_thread.run_sync(writer.add_bytes, "credential/clr.jwt", clr_jwt.encode(), JWT_TYPE)
        await _stream_attachments(job, writer)
        header = {
            "format": BUNDLE_FORMAT,
            "format_version": 1,
            "export_id": str(job.export_id),
            "created_at": job.record["export"]["created_at"],
            "issuer": job.record["export"]["issuer"],
            "subject": job.record["worker"]["display_name"],
            "kid": job.signer.kid,
        }
        digest = await to_thread.run_sync(
            writer.finish, header, lambda manifest: job.sign(manifest, "cpl-manifest+jws")
        )
    except BaseException:
        await to_thread.run_sync(writer.abandon)
        raise
    return out, digest


async def make_file(job: Job, export_format: str) -> Made:
    """Write the export's file in ``job.work``; returns where it is, its type, size and SHA-256."""
    if export_format == "json":
        path = job.work / "record.json"
        await to_thread.run_sync(write_json, job.record, path)
    elif export_format == "csv":
        path = await _csv(job, bom=job.options["bom"])
    elif export_format == "pdf":
        path = await _pdf(job)
    elif export_format == "credential":
        clr, clr_jwt = await _credential(job)
        if job.options["credential_form"] == "jwt":
            path = job.work / "clr.jwt"
            await to_thread.run_sync(path.write_bytes, clr_jwt.encode("ascii"))
        else:
            path = job.work / "clr.json"
            await to_thread.run_sync(write_json, clr, path)
    else:
        path, (size, sha256) = await _bundle(job)
        return Made(path, file_of(export_format, job.options)[1], size, sha256)
    size, sha256 = await to_thread.run_sync(digest_of, path)
    return Made(path, file_of(export_format, job.options)[1], size, sha256)
