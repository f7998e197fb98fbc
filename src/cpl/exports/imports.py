"""``POST /v1/imports``: receiving a portable record, or a bundle with its files, and checking it whole.

Nothing is written until all of it has been checked: the record against its JSON Schema,
every entry, registration and peer discussion against the rules the API itself applies,
and, in a bundle, every attachment's bytes against the SHA-256 the record gives. The
first problems are named by their path in the record (``entries.3.title``) in a 422.
"""

from __future__ import annotations

import hashlib
import json
import uuid
import zipfile
from collections.abc import AsyncIterator
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from anyio import to_thread
from jsonschema import Draft202012Validator
from pydantic import BaseModel, ValidationError

from cpl.attachments.ingest import check_quota
from cpl.attachments.receive import discard, spool_directory
from cpl.attachments.service import by_hash
from cpl.errors import InvalidInput, MalformedRequest, TooLarge, UnsupportedType
from cpl.evidence.schemas import EvidenceContent
from cpl.exports.members import checked_member, read_member
from cpl.exports.portable_record import SCHEMA_NAME
from cpl.exports.restore import Checked, restore
from cpl.exports.schemas import ImportOut
from cpl.kernel.events import EventBus
from cpl.kernel.fields import control_character_paths
from cpl.kernel.json_depth import loads_json
from cpl.requirements.library import shipped_library
from cpl.requirements.schemas import PeerDiscussionIn, RegistrationIn
from cpl.requirements.service import check_registration
from cpl.settings import Settings
from cpl.storage import Storage

#: The record inside a bundle, and a record sent alone, is read into memory: it is text only.
RECORD_MAX_BYTES = 256 * 1024 * 1024
MAX_REPORTED = 20
CONTROL_CHARACTERS = "must not contain control characters"
ENTRY_CONTENT = tuple(EvidenceContent.model_fields)


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(files("cpl.exports").joinpath(SCHEMA_NAME).read_text(encoding="utf-8")))


def _field(path: Any) -> str:
    return ".".join(str(part) for part in path) or "body"


def _refuse(problems: list[dict[str, str]]) -> InvalidInput:
    problems = problems[:MAX_REPORTED]
    return InvalidInput(f"The record is not valid: {problems[0]['field']}: {problems[0]['message']}", errors=problems)


def _pydantic(model: type[BaseModel], values: dict[str, Any], prefix: str, problems: list[dict[str, str]]) -> Any:
    try:
        return model.model_validate(values)
    except ValidationError as error:
        for item in error.errors():
            problems.append({"field": prefix + _field(item["loc"]), "message": item["msg"]})
        return None


def check_record(record: Any) -> Checked:
    """The record's parts as the API's own request models, or 422 naming every (first 20) bad path.

    No text anywhere in it may hold a control character (NUL above all), as in every request.
    """
    problems = [{"field": path, "message": CONTROL_CHARACTERS} for path in control_character_paths(record)]
    problems += [
        {"field": _field(error.absolute_path), "message": error.message}
        for error in sorted(_validator().iter_errors(record), key=lambda error: list(map(str, error.absolute_path)))
    ]
    if problems:
        raise _refuse(problems)
    checked = Checked(record)
    for position, entry in enumerate(record["entries"]):
        values = {name: entry[name] for name in ENTRY_CONTENT}
        checked.entries.append(_pydantic(EvidenceContent, values, f"entries.{position}.", problems))
        peer = entry["peer_discussion"]
        peer_values = {name: value for name, value in (peer or {}).items() if name in PeerDiscussionIn.model_fields}
        checked.peers.append(
            peer and _pydantic(PeerDiscussionIn, peer_values, f"entries.{position}.peer_discussion.", problems)
        )
    library = shipped_library()
    for position, row in enumerate(record["registrations"]):
        values = {
            name: row[name]
            for name in ("register", "registration_number", "part", "cycle_start", "renewal_date", "pack_edition")
        }
        registration = _pydantic(RegistrationIn, values, f"registrations.{position}.", problems)
        try:
            registration and check_registration(registration, library)
        except InvalidInput as error:
            problems += [{**item, "field": f"registrations.{position}.{item['field']}"} for item in error.errors or []]
        checked.registrations.append(registration)
    if problems:
        raise _refuse(problems)
    return checked


async def _spool(settings: Settings, chunks: AsyncIterator[bytes]) -> Path:
    path = await spool_directory(settings) / f"import-{uuid.uuid4().hex}"
    handle = await to_thread.run_sync(path.open, "wb")
    size = 0
    try:
        async for chunk in chunks:
            size += len(chunk)
            if size > settings.import_max_bytes:
                raise TooLarge(f"The upload is larger than the {settings.import_max_bytes:,}-byte limit.")
            await to_thread.run_sync(handle.write, chunk)
    except BaseException:
        await to_thread.run_sync(handle.close)
        await discard(path)
        raise
    await to_thread.run_sync(handle.close)
    return path


def _parse(data: bytes) -> Any:
    try:
        return loads_json(data, "The record")
    except (UnicodeDecodeError, ValueError) as error:
        raise MalformedRequest(f"The record is not readable JSON: {error}.") from error


def read_upload(path: Path) -> tuple[Any, bool]:
    """The record in the upload, and whether the upload is a bundle (blocking)."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as bundle:
                info = checked_member(bundle, "record.json", RECORD_MAX_BYTES, "record.json")
                return _parse(b"".join(read_member(bundle, info))), True
        except (zipfile.BadZipFile, KeyError) as error:
            raise MalformedRequest("The upload is not a cpl bundle (a ZIP with record.json).") from error
    if path.stat().st_size > RECORD_MAX_BYTES:
        raise TooLarge("The record is too large to import on its own; send the bundle.")
    return _parse(path.read_bytes()), False


def check_bundle_files(path: Path, record: dict[str, Any], max_bytes: int) -> dict[str, int]:
    """Every attachment the record names must be in the bundle, within ``max_bytes`` and no zip bomb,
    with exactly the SHA-256 the record gives. Returns each file's size by SHA-256."""
    problems, sizes = [], {}
    with zipfile.ZipFile(path) as bundle:
        names = set(bundle.namelist())
        for position, entry in enumerate(record["entries"]):
            for index, attachment in enumerate(entry["attachments"]):
                field = f"entries.{position}.attachments.{index}"
                if attachment["bundle_path"] not in names:
                    problems.append({"field": f"{field}.bundle_path", "message": "not in the bundle"})
                    continue
                info = checked_member(bundle, attachment["bundle_path"], max_bytes, field)
                digest = hashlib.sha256()
                for chunk in read_member(bundle, info):
                    digest.update(chunk)
                sizes[attachment["sha256"]] = info.file_size
                if digest.hexdigest() != attachment["sha256"]:
                    problems.append({"field": f"{field}.sha256", "message": "the file in the bundle has other bytes"})
    if problems:
        raise _refuse(problems)
    return sizes


async def _check_quota(settings: Settings, owner: uuid.UUID, sizes: dict[str, int]) -> None:
    """The bundle's files this worker does not hold yet must fit their quota, before any is stored."""
    new = [size for sha256, size in sizes.items() if await by_hash(owner, sha256) is None]
    await check_quota(settings, owner, sum(new))


async def import_upload(
    settings: Settings, where: tuple[Storage, EventBus], owner: uuid.UUID, media_type: str, chunks: AsyncIterator[bytes]
) -> ImportOut:
    """Check the whole upload, then bring it into the owner's account (see :mod:`cpl.exports.restore`)."""
    storage, events = where
    if media_type not in ("application/json", "application/zip"):
        raise UnsupportedType("Send a portable record as application/json or a bundle as application/zip.")
    path = await _spool(settings, chunks)
    try:
        record, is_bundle = await to_thread.run_sync(read_upload, path)
        checked = check_record(record)
        if is_bundle:
            sizes = await to_thread.run_sync(check_bundle_files, path, record, settings.attachment_max_bytes)
            await _check_quota(settings, owner, sizes)
        return await restore(settings, events, owner, checked, (storage, path) if is_bundle else None)
    finally:
        await discard(path)
