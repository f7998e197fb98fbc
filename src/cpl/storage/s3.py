"""The production backend: any S3-compatible store (AWS S3, MinIO, Ceph RGW, Garage…), through boto3.

``s3://bucket/prefix``: every object lives under ``prefix/``. Every boto3 call runs in a
worker thread (as piccolo_api's ``media/s3.py`` does), with connect and read timeouts and
a bounded number of attempts from the settings, and within a total deadline
(``storage_operation_timeout_seconds``, plus time for the bytes of a file transferred at
``storage_min_transfer_bytes_per_second``): a store that is down or hangs answers 503 by
then, whatever botocore's attempts and back-off would have cost. A call past its deadline is
abandoned; botocore's own timeouts end its thread later.

The calls run on the store's own threads (at most ``storage_threads`` at once, an anyio
``CapacityLimiter``), not on the shared pool that password hashing, file checks and page
handlers use: a stalled store holds its own threads only, and logins carry on.

Checksums are only sent where S3 requires them: several S3-compatible stores reject the
CRC trailers newer boto3 versions add by default. Bodies are sent as ``UNSIGNED-PAYLOAD``
(what boto3 does itself for streamed uploads over HTTPS, where TLS protects them): an
upload can then be streamed while it is still arriving, and a file is read once, not twice.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import boto3
from anyio import CapacityLimiter, fail_after, move_on_after, to_thread
from boto3.exceptions import Boto3Error
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError
from prometheus_client import Counter
from urllib3.exceptions import HTTPError

from cpl.errors import StorageUnavailable
from cpl.settings import Settings
from cpl.storage.base import AREAS, DirectUpload, Storage, StoredObject, check_key

logger = logging.getLogger("cpl.storage")

_MISSING = {"404", "NoSuchKey", "NotFound"}
#: Files up to 128 MiB go in one PUT streamed from the spool file (S3 takes up to 5 GB so); larger
#: ones in 16 MiB parts, four at a time, so a failure costs one part rather than the whole file.
TRANSFER = TransferConfig(multipart_threshold=128 * 2**20, multipart_chunksize=16 * 2**20, max_concurrency=4)
T = TypeVar("T")
#: Calls on the store that failed, per boto3 operation and kind (``/metrics``).
STORAGE_ERRORS = Counter("cpl_storage_errors_total", "Object store calls that failed", ["operation", "kind"])
CHUNK = 256 * 1024


@dataclass(frozen=True)
class StoreLimits:
    """How long one call on the store may take, and how many may run at once."""

    #: Seconds for one call, every attempt and back-off included.
    operation_timeout: float = 15.0
    #: A call that transfers a file's bytes also gets one second per this many bytes.
    min_transfer_rate: int = 1024 * 1024
    threads: int = 16

    def deadline(self, size: int = 0) -> float:
        return self.operation_timeout + size / self.min_transfer_rate

    @classmethod
    def from_settings(cls, settings: Settings) -> StoreLimits:
        return cls(
            settings.storage_operation_timeout_seconds,
            settings.storage_min_transfer_bytes_per_second,
            settings.storage_threads,
        )


def _name(function: Callable[..., Any]) -> str:
    return getattr(function, "__name__", repr(function))


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

    def __init__(self, client: Any, bucket: str, prefix: str = "", limits: StoreLimits | None = None) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.limits = limits or StoreLimits()
        self._threads: CapacityLimiter | None = None

    def full_key(self, key: str) -> str:
        return f"{self.prefix}/{check_key(key)}" if self.prefix else check_key(key)

    @property
    def threads(self) -> CapacityLimiter:
        """The store's own thread limit (made on first use: a limiter belongs to a running event loop)."""
        if self._threads is None:
            self._threads = CapacityLimiter(self.limits.threads)
        return self._threads

    async def _call(self, function: Callable[..., T], *args: Any, size: int = 0, **kwargs: Any) -> T:
        """Run one boto3 call on the store's threads within its deadline (``size``: bytes it transfers).

        A missing object is FileNotFoundError; a refusal, a failure or a deadline passed is 503.
        """
        deadline = self.limits.deadline(size)
        try:
            with fail_after(deadline):
                call = partial(function, *args, **kwargs)
                return await to_thread.run_sync(call, abandon_on_cancel=True, limiter=self.threads)
        except TimeoutError as error:
            STORAGE_ERRORS.labels(_name(function), "deadline").inc()
            logger.warning("object store gave no answer to %s within %.0f s", _name(function), deadline)
            raise StorageUnavailable("The file store is not answering; try again later.") from error
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code in _MISSING:
                raise FileNotFoundError(code) from error
            STORAGE_ERRORS.labels(_name(function), "refused").inc()
            logger.warning("object store refused %s: %s", _name(function), error)
            raise StorageUnavailable("The file store refused the request; try again later.") from error
        except ParamValidationError:
            raise
        except (BotoCoreError, Boto3Error, HTTPError, ConnectionError) as error:
            # Boto3Error: S3UploadFailedError, and RetriesExceededError when a download is cut mid-body
            STORAGE_ERRORS.labels(_name(function), "unavailable").inc()
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
            size=(await to_thread.run_sync(path.stat)).st_size,
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
            size=size,
        )

    async def download_file(self, key: str, path: Path) -> None:
        head = await self._call(self.client.head_object, Bucket=self.bucket, Key=self.full_key(key))
        size = int(head["ContentLength"])
        await self._call(
            self.client.download_file, self.bucket, self.full_key(key), str(path), Config=TRANSFER, size=size
        )

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
            while chunk := await self._call(body.read, CHUNK, size=CHUNK):
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

    async def reachable(self, within: float) -> bool:
        """The bucket answers a HEAD within ``within`` seconds (and the credentials may use it)."""
        with move_on_after(within):
            try:
                await self._call(self.client.head_bucket, Bucket=self.bucket)
            except (StorageUnavailable, FileNotFoundError):
                return False
            return True
        return False

    async def close(self) -> None:
        self.client.close()
