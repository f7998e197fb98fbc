"""Object storage for attachments: one interface, an S3-compatible backend and a local-folder one."""

from cpl.storage.base import DirectUpload, Storage, StoredObject
from cpl.storage.factory import open_storage

__all__ = ["DirectUpload", "Storage", "StoredObject", "open_storage"]
