"""Deleting an entry deletes the files no other entry uses; the others keep theirs."""

from __future__ import annotations

from cpl.attachments.cleanup import sweep_garbage
from cpl.attachments.reconcile import reconcile
from tests.attachments import corpus
from tests.attachments.helpers import upload
from tests.factories import put_entry
from tests.storage.fixtures import stored_keys


async def _two_entries_sharing_a_file(api, worker) -> tuple[dict, dict, str]:
    headers, doomed = worker["headers"], worker["entry"]
    kept = (await put_entry(api, headers))["id"]
    shared = (await upload(api, headers, doomed, corpus.pdf(), "certificate.pdf")).json()
    assert (await upload(api, headers, kept, corpus.pdf(), "certificate.pdf")).json()["id"] == shared["id"]
    own = (await upload(api, headers, doomed, corpus.jpeg(), "only-here.jpg")).json()
    assert (await api.delete(f"/v1/evidence/{doomed}", headers=headers)).status_code == 204
    return shared, own, kept


async def _assert_released(api, worker, store, shared: dict, own: dict, kept: str) -> None:
    headers = worker["headers"]
    assert (await api.get(f"/v1/attachments/{own['id']}", headers=headers)).status_code == 404
    remaining = (await api.get(f"/v1/attachments/{shared['id']}", headers=headers)).json()
    assert remaining["entry_ids"] == [kept]
    assert len(await stored_keys(store)) == 1


async def test_deleting_an_entry_releases_its_files(api, worker, store) -> None:
    """Needs attachments' ``EntryDeleted`` handler (``release_deleted_entry``) subscribed by ``create_app``."""
    shared, own, kept = await _two_entries_sharing_a_file(api, worker)
    await sweep_garbage(store)  # what each server process does every storage_maintenance_interval
    await _assert_released(api, worker, store, shared, own, kept)


async def test_reconcile_releases_files_of_deleted_entries(api, worker, store, attachment_settings) -> None:
    shared, own, kept = await _two_entries_sharing_a_file(api, worker)
    report = await reconcile(store, attachment_settings, fix=True)
    assert report.fixed
    await _assert_released(api, worker, store, shared, own, kept)
