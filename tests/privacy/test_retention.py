"""Retention (issue 16, item 7): tombstones, notifications and data-export ZIPs purged after their time."""

from __future__ import annotations

import argparse
from datetime import timedelta

from cpl.cli import retention_run_command
from cpl.privacy import run_retention
from cpl.storage import open_storage
from tests.factories import put_entry, sign_up
from tests.privacy.helpers import every_stored_object, wait_for_data_export
from tests.reviews.helpers import submitted


async def test_a_sync_from_before_purged_tombstones_is_told_to_start_again(api, privacy_settings, store):
    headers = await sign_up(api)
    kept = await put_entry(api, headers)
    gone = await put_entry(api, headers)
    cursor = (await api.get("/v1/sync", headers=headers)).json()["next_cursor"]
    assert (await api.delete(f"/v1/evidence/{gone['id']}", headers=headers)).status_code == 204
    before = (await api.get("/v1/sync", params={"since": cursor}, headers=headers)).json()
    assert [change["id"] for change in before["changes"]] == [gone["id"]]
    after_deletion = before["next_cursor"]

    done = await run_retention(privacy_settings.model_copy(update={"tombstone_retention": timedelta(0)}), store)
    assert done["tombstones"] == 1

    stale = await api.get("/v1/sync", params={"since": cursor}, headers=headers)
    assert stale.status_code == 410
    assert "from the start" in stale.json()["detail"]
    fresh = (await api.get("/v1/sync", headers=headers)).json()
    assert [change["id"] for change in fresh["changes"]] == [kept["id"]]
    assert (await api.get("/v1/sync", params={"since": after_deletion}, headers=headers)).status_code == 200


async def test_notifications_are_purged_after_their_period(client, settings):
    t, _ = await submitted(client)
    assert (await client.get("/v1/notifications", headers=t.supervisor)).json()
    storage = open_storage(settings)
    kept = await run_retention(settings, storage)
    assert kept["notifications"] == 0
    assert (await client.get("/v1/notifications", headers=t.supervisor)).json()
    purged = await run_retention(settings.model_copy(update={"notification_retention": timedelta(0)}), storage)
    assert purged["notifications"] >= 1
    assert (await client.get("/v1/notifications", headers=t.supervisor)).json() == []
    await storage.close()


async def test_a_data_export_is_deleted_after_its_download_window(client_for, privacy_settings, store):
    short = privacy_settings.model_copy(update={"data_export_ttl": timedelta(0)})
    api = await client_for(short)
    headers = await sign_up(api)
    await put_entry(api, headers)
    started = (await api.post("/v1/me/data-export", headers=headers)).json()
    done = await wait_for_data_export(api, headers, started["id"])
    assert (await api.get(done["download_url"], headers=headers)).status_code in (200, 307)
    assert len(every_stored_object(short)) == 1

    purged = await run_retention(short, store)
    assert purged["data_exports"] == 1 and purged["stored_objects"] == 1
    assert every_stored_object(short) == {}
    expired = (await api.get(f"/v1/me/data-export/{done['id']}", headers=headers)).json()
    assert expired["status"] == "expired" and expired["download_url"] is None
    assert (await api.get(f"/v1/me/data-export/{done['id']}/download", headers=headers)).status_code == 409


def test_the_cli_runs_every_purge(settings, capsys):
    assert retention_run_command(settings, argparse.Namespace()) == 0
    out = capsys.readouterr().out
    for name in ("tombstones", "notifications", "data_exports", "reminders_sent", "stored_objects"):
        assert f"{name}: 0 removed" in out
