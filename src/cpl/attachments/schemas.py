"""Attachment bodies: what a client sends to open a direct upload, and what the service returns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from cpl.kernel.schemas import RequestModel

#: Case-insensitive values, read in either case and kept in lower case, as the document says (a
#: ``to_lower`` constraint would be documented as "must be in lower case", which refuses nothing).
Sha256Hex = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9a-fA-F]{64}$"),
    AfterValidator(str.lower),
    Field(description="SHA-256 of the file's bytes: 64 hexadecimal digits, either case (answers use lower case)"),
]
#: Media types are case-insensitive (RFC 9110 §8.3.1).
MediaTypeName = Annotated[
    str,
    StringConstraints(max_length=100),
    AfterValidator(str.lower),
    Field(description="The file's media type, either case (RFC 9110 §8.3.1); the bytes are checked on completion"),
]


class UploadSlotIn(RequestModel):
    """A file the client is about to send straight to storage, then attach to ``entry_id``."""

    entry_id: UUID
    #: For display only; it is made safe and never names a storage path.
    filename: Annotated[str, StringConstraints(max_length=255)] = ""
    size: Annotated[int, Field(ge=1, description="Exact size in bytes")]
    sha256: Sha256Hex
    #: What the client believes the file is; the bytes are checked on completion all the same.
    media_type: MediaTypeName


class DirectUploadOut(BaseModel):
    """``POST``: a multipart form with ``fields`` first and the file last, in a field named ``file``.
    ``PUT``: the raw bytes, with ``headers``."""

    method: str
    url: str
    fields: dict[str, str]
    headers: dict[str, str]


class UploadSlotOut(BaseModel):
    id: UUID
    entry_id: UUID
    expires_at: datetime
    upload: DirectUploadOut
    #: ``POST`` here once the upload has finished.
    complete_url: str
    #: True when these bytes are already stored for you: skip the upload and complete at once.
    already_stored: bool


class AttachmentOut(BaseModel):
    id: UUID
    filename: str
    media_type: str
    size: Annotated[int, Field(description="Bytes as uploaded")]
    sha256: Annotated[
        str,
        Field(
            description="SHA-256 of the bytes as uploaded (what the client computed): the same bytes uploaded "
            "again by the same worker are recognised by it and stored once"
        ),
    ]
    stored_size: Annotated[
        int, Field(description="Bytes as stored and served (images are stored re-encoded without metadata)")
    ]
    stored_sha256: Annotated[
        str | None,
        Field(
            description="SHA-256 of the bytes cpl stores and serves at content_url, and that exports, PDFs and "
            "credentials state: check a download against this one. Equal to sha256 unless the file was "
            "re-encoded (images). Null only for an image stored before cpl recorded it"
        ),
    ]
    width: int | None
    height: int | None
    created_at: datetime
    #: The live entries this file supports.
    entry_ids: list[UUID]
    content_url: str
    thumbnail_url: str | None


def attachment_out(row: dict[str, Any], entry_ids: list[UUID]) -> AttachmentOut:
    base = f"/v1/attachments/{row['id']}"
    return AttachmentOut(
        id=row["id"],
        filename=row["filename"],
        media_type=row["media_type"],
        size=row["size"],
        sha256=row["sha256"],
        stored_size=row["stored_size"],
        stored_sha256=row["stored_sha256"],
        width=row["width"],
        height=row["height"],
        created_at=row["created_at"],
        entry_ids=entry_ids,
        content_url=f"{base}/content",
        thumbnail_url=f"{base}/thumbnail" if row["thumbnail_key"] else None,
    )
