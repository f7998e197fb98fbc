"""Erasure leaves pseudonyms that still verify; the export gets a person's events; retention keeps
the chain verifiable from the oldest kept checkpoint."""

from __future__ import annotations

from uuid import UUID

from cpl import db
from cpl.accounts.events import AccountErased
from cpl.app import subscribe_handlers
from cpl.audit import audit_events_about, purge_audit_events_older_than
from cpl.audit.repository import filtered
from cpl.kernel import clock
from cpl.kernel.events import EventBus
from tests.audit.helpers import cpl, viewed_team


async def _erase(account_id: UUID) -> None:
    events = EventBus(in_transaction=db.in_transaction)
    subscribe_handlers(events)
    async with db.write_transaction():
        await events.publish(AccountErased(account_id=account_id))


async def test_an_erased_account_leaves_only_its_pseudonym_and_the_chain_still_verifies(client, settings, tmp_path):
    t = await viewed_team(client, views=2)
    supervisor = UUID(t.supervisor_id)
    about = await audit_events_about(supervisor)
    assert [event["action"] for event in about if event["by_me"]].count("entry.viewed") == 2
    saved = tmp_path / "before.json"
    assert (await cpl(settings, "audit", "checkpoint", "--save", str(saved)))[0] == 0
    await _erase(supervisor)
    assert await audit_events_about(supervisor) == []
    views = await filtered(action="entry.viewed")
    assert all(event["actor"] is None and len(event["actor_pseudonym"]) == 64 for event in views)
    log = (await client.get("/v1/me/access-log", headers=t.worker)).json()["items"]
    assert [item["name"] for item in log] == ["", ""]  # the reading is still shown, without the person
    code, out, err = await cpl(settings, "audit", "verify", "--checkpoint", str(saved))
    assert code == 0, err


async def test_a_purge_keeps_the_chain_verifiable_from_the_oldest_kept_checkpoint(client, settings, tmp_path):
    await viewed_team(client, views=2)
    assert (await cpl(settings, "audit", "checkpoint"))[0] == 0
    before = await filtered(limit=1000)
    cutoff = clock.now()
    t = await viewed_team(client, views=1)
    assert await purge_audit_events_older_than(cutoff) == len(before)
    assert await purge_audit_events_older_than(cutoff) == 0
    kept = await filtered(limit=1000)
    assert min(event["seq"] for event in kept) == max(event["seq"] for event in before) + 1
    code, out, err = await cpl(settings, "audit", "verify")
    assert code == 0 and out.startswith(f"OK: events {len(before) + 1}–"), (out, err)
    assert (await client.get(f"/v1/shared/evidence/{t.entry['id']}", headers=t.supervisor)).status_code == 200
    saved = tmp_path / "after.json"
    assert (await cpl(settings, "audit", "checkpoint", "--save", str(saved)))[0] == 0
    assert (await cpl(settings, "audit", "verify", "--checkpoint", str(saved)))[0] == 0


async def test_a_purge_with_no_checkpoint_to_anchor_it_deletes_nothing(client, settings):
    await viewed_team(client, views=1)
    assert await purge_audit_events_older_than(clock.now()) == 0
