"""Fixtures shared by the storage and attachment tests: a store of each kind, on real servers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from cpl.storage import Storage
from tests.storage.servers import ACCESS_KEY, SECRET_KEY, moto_server


def s3_client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


def s3_overrides(endpoint: str, bucket: str) -> dict[str, Any]:
    """Settings for a bucket on an S3-compatible endpoint, failing fast (one attempt, short timeouts)."""
    return {
        "storage_url": f"s3://{bucket}/cpl",
        "storage_endpoint_url": endpoint,
        "storage_path_style": True,
        "storage_access_key_id": ACCESS_KEY,
        "storage_secret_access_key": SECRET_KEY,
        "storage_connect_timeout_seconds": 2.0,
        "storage_read_timeout_seconds": 2.0,
        "storage_max_attempts": 1,
    }


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_bucket(s3_endpoint: str) -> str:
    name = f"cpl-{uuid.uuid4().hex[:12]}"
    s3_client(s3_endpoint).create_bucket(Bucket=name)
    return name


@pytest.fixture(params=["file", "s3"])
def storage_overrides(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    """The settings of a fresh, empty store: a local folder, then an S3 bucket over HTTP."""
    if request.param == "s3":
        return s3_overrides(request.getfixturevalue("s3_endpoint"), request.getfixturevalue("s3_bucket"))
    return {"storage_url": f"file://{tmp_path / 'store'}"}


async def stored_keys(storage: Storage) -> list[str]:
    return sorted([found.key async for found in storage.list_objects()])
