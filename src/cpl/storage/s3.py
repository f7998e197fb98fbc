"""The production backend: any S3-compatible store (AWS S3, MinIO, Ceph RGW, Garage…), through boto3.

``s3://bucket/prefix``: every object lives under ``prefix/``. Every boto3 call runs in a
worker thread (as piccolo_api's ``media/s3.py`` does), with connect and read timeouts and
a bounded number of attempts from the settings, so a store that is down or hangs costs a
request about ``attempts × (connect + read timeout)`` (plus botocore's one-second wait for
``100 Continue`` on each upload, and its back-off between attempts) before it answers 503.

Checksums are only sent where S3 requires them: several S3-compatible stores reject the
CRC trailers newer boto3 versions add by default. Bodies are sent as ``UNSIGNED-PAYLOAD``
(what boto3 does itself for streamed uploads over HTTPS, where TLS protects them): an
upload can then be streamed while it is still arriving, and a file is read once, not twice.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import boto3
from anyio import to_thread
from boto3.exceptions import S3UploadFailedError
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

from cpl.errors import StorageUnavailable
from cpl.settings import Settings
from cpl.storage.base import AREAS, DirectUpload, Storage, StoredObject, check_key

logger = logging.getLogger("cpl.storage")

_MISSING = {"404", "NoSuchKey", "NotFound"}
#: Files up to 128 MiB go in one PUT streamed from the spool file (S3 takes up to 5 GB so); larger
#: ones in 16 MiB parts, four at a time, so a failure costs one part rather than the whole file.
TRANSFER = TransferConfig(multipart_threshold=128 * 2**20, multipart_chunksize=16 * 2**20, max_concurrency=4)
T = TypeVar("T")


def build_client(settings: Settings) -> Any:
    """A boto3 S3 client with the settings' endpoint, region, addressing, credentials, timeouts and retries."""
    config = Config(
        connect_timeout=settings.storage_connect_timeout_seconds,
        read_timeout=settings.storage_read_timeout_seconds,
        retries={"total_max_attempts": settings.storage_max_attempts, "mode": "standard"},
        s3={"addressing_style": "path" if settings.storage_path_style else "auto", "payload_signing_enabled": False},
        signature_version="s3v4",
        max_pool_connections=32,
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    credentials = {}
    if settings.storage_access_key_id:
        credentials = {
            "aws_access_key_id": settings.storage_access_key_id,
            "aws_secret_access_key": settings.storage_secret_access_key.get_secret_value(),
        }
    return boto3.session.Session().client(
        "s3",
        endpoint_url=settings.storage_endpoint_url or None,
        region_name=settings.storage_region,
        config=config,
        **credentials,
    )


class S3Storage(Storage):
    scheme = "s3"

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")

    def full_key(self, key: str) -> str:
        return f"{self.prefix}/{check_key(key)}" if self.prefix else check_key(key)

    async def _call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run one boto3 call in a thread; a missing object is FileNotFoundError, any failure 503."""
        try:
            return await to_thread.run_sync(partial(function, *args, **kwargs))
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code in _MISSING:
                raise FileNotFoundError(code) from error
            logger.warning("object store refused %s: %s", getattr(function, "__name__", function), error)
            raise StorageUnavailable("The file store refused the request; try again later.") from error
        except ParamValidationError:
            raise
        except (BotoCoreError, S3UploadFailedError) as error:
            logger.warning("object store unavailable: %s", error)
            raise StorageUnavailable("The file store is not answering; try again later.") from error

    async def put_file(self, key: str, path: Path, media_type: str) -> None:
        await self._call(
            self.client.upload_file,
            str(path),
            self.bucket,
            self.full_key(key),
            ExtraArgs={"ContentType": media_type},
            Config=TRANSFER,
        )

    async def put_stream(self, key: str, reader: BinaryIO, size: int, media_type: str) -> None:
        """One PUT whose body is read as it is produced (S3 takes up to 5 GB so, the upload limit's ceiling)."""
        await self._call(
            self.client.put_object,
            Bucket=self.bucket,
            Key=self.full_key(key),
            Body=reader,
            ContentLength=size,
            ContentType=media_type,
        )

    async def download_file(self, key: str, path: Path) -> None:
        await self._call(self.client.download_file, self.bucket, self.full_key(key), str(path), Config=TRANSFER)

    async def copy(self, source: str, target: str) -> None:
        """A server-side copy: the bytes never pass through cpl (objects up to 5 GB, the upload limit's ceiling)."""
        copy_source = {"Bucket": self.bucket, "Key": self.full_key(source)}
        await self._call(self.client.copy_object, Bucket=self.bucket, Key=self.full_key(target), CopySource=copy_source)

    async def delete(self, keys: Iterable[str]) -> None:
        objects = [{"Key": self.full_key(key)} for key in keys]
        for start in range(0, len(objects), 1000):
            batch = {"Objects": objects[start : start + 1000], "Quiet": True}
            result = await self._call(self.client.delete_objects, Bucket=self.bucket, Delete=batch)
            if result.get("Errors"):
                raise StorageUnavailable(f"The file store could not delete {len(result['Errors'])} object(s).")

    async def stat(self, key: str) -> StoredObject | None:
        try:
            head = await self._call(self.client.head_object, Bucket=self.bucket, Key=self.full_key(key))
        except FileNotFoundError:
            return None
        return StoredObject(key, int(head["ContentLength"]), head["LastModified"])

    async def list_objects(self) -> AsyncIterator[StoredObject]:
        paginator = self.client.get_paginator("list_objects_v2")
        skip = len(self.prefix) + 1 if self.prefix else 0
        for area in AREAS:
            pages = iter(paginator.paginate(Bucket=self.bucket, Prefix=self.full_key_prefix(area)))
            while (page := await self._call(next, pages, None)) is not None:
                for item in page.get("Contents", []):
                    yield StoredObject(item["Key"][skip:], int(item["Size"]), item["LastModified"])

    async def abandon_partial_uploads(self, older_than: datetime) -> int:
        """Abort the multipart uploads begun before ``older_than`` (their parts cost storage until then)."""
        paginator = self.client.get_paginator("list_multipart_uploads")
        pages = iter(paginator.paginate(Bucket=self.bucket, Prefix=f"{self.prefix}/" if self.prefix else ""))
        aborted = 0
        while (page := await self._call(next, pages, None)) is not None:
            for upload in page.get("Uploads", []):
                if upload["Initiated"] < older_than:
                    await self._call(
                        self.client.abort_multipart_upload,
                        Bucket=self.bucket,
                        Key=upload["Key"],
                        UploadId=upload["UploadId"],
                    )
                    aborted += 1
        return aborted

    def full_key_prefix(self, area: str) -> str:
        return f"{self.prefix}/{area}/" if self.prefix else f"{area}/"

    async def download_url(self, key: str, filename_header: str, media_type: str, ttl: timedelta) -> str | None:
        params = {
            "Bucket": self.bucket,
            "Key": self.full_key(key),
            "ResponseContentDisposition": filename_header,
            "ResponseContentType": media_type,
        }
        return await self._call(
            self.client.generate_presigned_url, "get_object", Params=params, ExpiresIn=int(ttl.total_seconds())
        )

    async def read_chunks(self, key: str) -> AsyncIterator[bytes]:
        response = await self._call(self.client.get_object, Bucket=self.bucket, Key=self.full_key(key))
        body = response["Body"]
        try:
            while chunk := await self._call(body.read, 256 * 1024):
                yield chunk
        finally:
            body.close()

    async def direct_upload(self, key: str, size: int, media_type: str, ttl: timedelta, base_url: str) -> DirectUpload:
        """A presigned POST whose policy only accepts exactly ``size`` bytes of this type, to this key."""
        post = await self._call(
            self.client.generate_presigned_post,
            self.bucket,
            self.full_key(key),
            Fields={"Content-Type": media_type},
            Conditions=[["content-length-range", size, size], {"Content-Type": media_type}],
            ExpiresIn=int(ttl.total_seconds()),
        )
        return DirectUpload(method="POST", url=post["url"], fields=post["fields"])

    async def close(self) -> None:
        self.client.close()
