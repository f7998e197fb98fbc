"""What a killed process leaves behind (issue 18) is cleaned at start-up and by ``reconcile --fix``:
spooled uploads, export work folders, partial local objects and unfinished S3 multipart uploads —
but only once untouched for ``crash_leftover_age``, so a live upload on another node survives."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from pathlib import Path
from typing import Any

from cpl.attachments.reconcile import reconcile
from cpl.settings import Settings
from cpl.storage import open_storage
from tests.attachments.test_reconcile import cpl
from tests.storage.fixtures import s3_client, s3_overrides

TWO_HOURS = 2 * 3600


def _left(path: Path, age_seconds: float) -> Path:
    """A file as a crash leaves it: last written ``age_seconds`` ago."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"half a file")
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return path


def _leftovers(settings: Settings) -> tuple[list[Path], list[Path]]:
    """Files a crash left (old) and files of work still going on (young), in the data folder."""
    work = settings.data_dir / "exports-work" / uuid.uuid4().hex
    old = [
        _left(settings.data_dir / "spool" / f"upload-{uuid.uuid4().hex}", TWO_HOURS),
        _left(work / "portfolio.pdf", TWO_HOURS),
    ]
    os.utime(work, (time.time() - TWO_HOURS,) * 2)
    young = [
        _left(settings.data_dir / "spool" / f"upload-{uuid.uuid4().hex}", 5),
        _left(settings.data_dir / "exports-work" / uuid.uuid4().hex / "bundle.zip", 5),
    ]
    if settings.storage_url.startswith("file://"):
        partial = Path(settings.storage_url.removeprefix("file://")) / ".partial"
        old.append(_left(partial / uuid.uuid4().hex, TWO_HOURS))
        young.append(_left(partial / uuid.uuid4().hex, 5))
    return old, young


def _unfinished_multipart(settings: Settings) -> dict[str, Any]:
    client = s3_client(settings.storage_endpoint_url)
    bucket = settings.storage_url.removeprefix("s3://").split("/")[0]
    started = client.create_multipart_upload(Bucket=bucket, Key=f"cpl/exports/{uuid.uuid4().hex}")
    client.upload_part(Bucket=bucket, Key=started["Key"], UploadId=started["UploadId"], PartNumber=1, Body=b"x" * 1024)
    return {"client": client, "bucket": bucket}


def _multipart_uploads(made: dict[str, Any]) -> list:
    return made["client"].list_multipart_uploads(Bucket=made["bucket"]).get("Uploads", [])


async def test_reconcile_fix_removes_old_leftovers_and_keeps_live_work(client_for, make_settings, storage_overrides):
    settings = make_settings(**storage_overrides)
    await client_for(settings)
    old, young = _leftovers(settings)
    code, output = await cpl(settings, "storage", "reconcile", "--fix")
    assert code == 0, output
    assert f"crash leftovers removed (fixed): {len(old)}" in output, output
    assert [path.exists() for path in old] == [False] * len(old)
    assert [path.exists() for path in young] == [True] * len(young)


async def test_reconcile_fix_aborts_an_unfinished_multipart_upload(client_for, make_settings, s3_endpoint, s3_bucket):
    """moto dates every multipart upload 2010-11-10, so here it is always old enough: that a young one
    is kept rests on the same comparison the local files' test checks."""
    settings = make_settings(**s3_overrides(s3_endpoint, s3_bucket))
    await client_for(settings)
    made = _unfinished_multipart(settings)
    assert len(_multipart_uploads(made)) == 1
    store = open_storage(settings)
    try:
        report = await reconcile(store, settings, fix=True)
    finally:
        await store.close()
    assert report.crash_leftovers == 1
    assert _multipart_uploads(made) == []


async def test_a_starting_node_removes_old_leftovers(client_for, make_settings, storage_overrides):
    settings = make_settings(**storage_overrides)
    await client_for(settings)
    old, young = _leftovers(settings)
    await client_for(settings)  # another node starts (or this one restarts) on the same folders
    for _ in range(200):
        if not any(path.exists() for path in old):
            break
        await asyncio.sleep(0.05)
    assert [path.exists() for path in old] == [False] * len(old)
    assert [path.exists() for path in young] == [True] * len(young)
