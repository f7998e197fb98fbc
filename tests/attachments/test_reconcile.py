"""``cpl storage reconcile [--fix]``: orphans in both directions are reported, then repaired."""

from __future__ import annotations

import os
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import anyio

from cpl.attachments.reconcile import reconcile
from cpl.attachments.tables import Attachment
from cpl.settings import Settings
from cpl.storage import open_storage
from tests.attachments import corpus
from tests.attachments.helpers import upload
from tests.factories import put_entry, sign_up
from tests.storage.fixtures import stored_keys


def cli_environment(settings: Settings) -> dict[str, str]:
    """The test's settings as the ``CPL_*`` variables a real ``cpl`` command reads."""
    names = [
        "data_dir",
        "database_url",
        "storage_url",
        "storage_endpoint_url",
        "storage_path_style",
        "storage_access_key_id",
        "storage_max_attempts",
    ]
    environment = {f"CPL_{name.upper()}": str(getattr(settings, name)) for name in names}
    environment["CPL_STORAGE_SECRET_ACCESS_KEY"] = settings.storage_secret_access_key.get_secret_value()
    environment["CPL_STORAGE_ORPHAN_GRACE"] = "PT0S"
    return {**os.environ, **environment}


async def cpl(settings: Settings, *arguments: str) -> tuple[int, str]:
    result = await anyio.run_process(
        [sys.executable, "-m", "cpl.cli", *arguments], env=cli_environment(settings), check=False
    )
    return result.returncode, result.stdout.decode() + result.stderr.decode()


async def _a_file(path: Path, data: bytes) -> Path:
    await anyio.Path(path).write_bytes(data)
    return path


async def test_reconcile_reports_then_repairs(client_for, make_settings, storage_overrides, tmp_path: Path) -> None:
    settings = make_settings(**storage_overrides, storage_orphan_grace=timedelta(0))
    api = await client_for(settings)
    store = open_storage(settings)
    headers = await sign_up(api)
    entry = (await put_entry(api, headers))["id"]
    photo, lost, staged = [
        (await upload(api, headers, entry, data, name)).json()
        for data, name in ((corpus.jpeg(), "p.jpg"), (corpus.pdf(), "l.pdf"), (corpus.TEXT, "s.txt"))
    ]
    orphans = [f"staging/{uuid.uuid4().hex}", f"attachments/{uuid.uuid4().hex}"]
    for key in orphans:
        await store.put_file(key, await _a_file(tmp_path / "orphan", b"nobody's"), "text/plain")
    await store.delete([f"attachments/{UUID(lost['id']).hex}", f"thumbnails/{UUID(photo['id']).hex}"])
    # A crash after the staged object was copied to its final key, before the row was repointed:
    staged_key = f"staging/{UUID(staged['id']).hex}"
    await store.copy(f"attachments/{UUID(staged['id']).hex}", staged_key)
    await Attachment.update({Attachment.state: "staged", Attachment.object_key: staged_key}).where(
        Attachment.id == staged["id"]
    )
    before = await stored_keys(store)

    code, output = await cpl(settings, "storage", "reconcile")
    assert code == 1, output
    assert all(f"orphan object (found): {key}" in output for key in orphans), output
    assert f"row without its object (found): attachment {lost['id']}" in output
    assert f"attachment without its thumbnail (found): {photo['id']}" in output
    assert f"attachment not yet promoted (found): {staged['id']}" in output
    assert await stored_keys(store) == before  # a report changes nothing

    code, output = await cpl(settings, "storage", "reconcile", "--fix")
    assert code == 0, output
    assert "repaired" in output

    report = await reconcile(store, settings, fix=False)
    assert report.clean, report.lines()
    assert (await api.get(f"/v1/attachments/{lost['id']}", headers=headers)).status_code == 404
    assert (await api.get(f"/v1/attachments/{photo['id']}", headers=headers)).json()["thumbnail_url"] is None
    row = await Attachment.select().where(Attachment.id == staged["id"]).first()
    assert row["state"] == "stored" and row["object_key"] == f"attachments/{UUID(staged['id']).hex}"
    assert await stored_keys(store) == sorted([f"attachments/{UUID(photo['id']).hex}", row["object_key"]])
    await store.close()


async def test_a_young_object_is_not_an_orphan_yet(api, store, attachment_settings, tmp_path: Path) -> None:
    """Within the grace period an unreferenced object may be an upload in flight: it is left alone."""
    key = f"staging/{uuid.uuid4().hex}"
    await store.put_file(key, await _a_file(tmp_path / "young", b"in flight"), "text/plain")
    report = await reconcile(store, attachment_settings, fix=True)
    assert report.orphan_objects == [] and await stored_keys(store) == [key]
