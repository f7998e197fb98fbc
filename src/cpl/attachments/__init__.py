"""Files attached to evidence entries: uploads, direct uploads, downloads, and consistency with the store."""

from cpl.attachments.direct_upload_routes import LocalUploadController
from cpl.attachments.routes import AttachmentController, EntryAttachmentsController, UploadController
from cpl.attachments.service import erase_owner_files, files_data, files_of, release_deleted_entry

__all__ = [
    "AttachmentController",
    "EntryAttachmentsController",
    "LocalUploadController",
    "UploadController",
    "erase_owner_files",
    "files_data",
    "files_of",
    "release_deleted_entry",
]
