"""Deleting an entry erases everything the worker wrote about it, in every domain, or nothing.

The other domains erase their part by handling ``EntryDeleted`` inside the deleting
transaction (src/cpl/README.md, "Layers and events").
"""

from __future__ import annotations

import hashlib
import random
import uuid

import httpx

from cpl.app import create_app
from cpl.evidence import EntryDeleted
from cpl.settings import Settings
from tests.attachments import corpus
from tests.attachments.helpers import upload
from tests.competences.helpers import items_by_code
from tests.database_text import columns_holding
from tests.factories import entry_body, sign_up

#: Where a worker's own words about an entry are kept while it lives.
WRITTEN_ABOUT_AN_ENTRY = {
    "evidence_entry.title",
    "evidence_entry.description",
    "evidence_entry.reflection",
    "evidence_entry.tags",
    "evidence_entry.search_text",
    "evidence_entry.tag_index",
    "competence_link.note",
    "peer_discussion.name",
    "peer_discussion.pin",
    "peer_discussion.email",
    "peer_discussion.address",
    "peer_discussion.role",
    "peer_discussion.learning",
    "attachment.filename",
    "upload_slot.filename",
}


REFLECTION_PROMPTS = ("what_happened", "what_i_learned", "how_it_changes_practice")


def _canary() -> str:
    """A valid NMC PIN (two digits, a letter, four digits, a letter) whose letters are not hex
    digits, so no UUID or hash contains it, and no built-in text does."""
    digits = "".join(random.choices("0123456789", k=6))
    letters = random.choices("ghjkmnpqrstvwxyz", k=2)
    return f"{digits[:2]}{letters[0]}{digits[2:]}{letters[1]}"


async def _write_everything(client, headers: dict[str, str], canary: str) -> str:
    """An entry with the canary in every field a worker fills, on the entry and beside it."""
    entry_id = str(uuid.uuid4())
    body = entry_body(
        title=f"Title {canary}",
        description=f"Description {canary}",
        reflection={name: f"{name} {canary}" for name in REFLECTION_PROMPTS},
        tags=[f"tag-{canary}", f"second {canary}"],
    )
    assert (await client.put(f"/v1/evidence/{entry_id}", json=body, headers=headers)).status_code == 201
    items = await items_by_code(client, headers, "The NMC Code")
    links = [{"item_id": items[code]["id"], "note": f"{code} note {canary}"} for code in ("NMC.1", "NMC.17")]
    linked = await client.put(f"/v1/evidence/{entry_id}/competences", json={"links": links}, headers=headers)
    assert linked.status_code == 200, linked.text
    peer = {
        "name": f"Peer {canary}",
        "pin": canary,
        "email": f"{canary}@example.org",
        "address": f"1 {canary} Street\nGlasgow",
        "role": f"Charge nurse {canary}",
        "learning": f"What I learnt {canary}",
    }
    discussed = await client.put(f"/v1/evidence/{entry_id}/peer-discussion", json=peer, headers=headers)
    assert discussed.status_code == 201, discussed.text
    attached = await upload(client, headers, entry_id, corpus.pdf(), f"certificate-{canary}.pdf")
    assert attached.status_code == 201, attached.text
    photo = corpus.jpeg()
    slot = {
        "entry_id": entry_id,
        "filename": f"photo-{canary}.jpg",
        "size": len(photo),
        "sha256": hashlib.sha256(photo).hexdigest(),
        "media_type": "image/jpeg",
    }
    assert (await client.post("/v1/uploads", json=slot, headers=headers)).status_code == 201
    return entry_id


async def test_deleting_an_entry_leaves_the_workers_words_in_no_table(client, settings: Settings) -> None:
    headers = await sign_up(client)
    canary = _canary()
    entry_id = await _write_everything(client, headers, canary)
    assert set(await columns_holding(settings, canary)) == WRITTEN_ABOUT_AN_ENTRY

    assert (await client.delete(f"/v1/evidence/{entry_id}", headers=headers)).status_code == 204

    assert await columns_holding(settings, canary) == []
    assert (await client.get(f"/v1/evidence/{entry_id}", headers=headers)).status_code == 410


async def test_a_failing_handler_rolls_the_whole_deletion_back(settings: Settings) -> None:
    """Every handler runs in the deleting transaction: the erasures done before the failure are undone too."""
    app = create_app(settings)

    async def fail(_: EntryDeleted) -> None:
        raise RuntimeError("a domain could not erase its part")

    app.state.events.subscribe(EntryDeleted, fail)  # after the domains' own handlers, which have run by then
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            headers = await sign_up(client, verified=False)  # this hand-made client reads no mail
            canary = _canary()
            entry_id = await _write_everything(client, headers, canary)

            assert (await client.delete(f"/v1/evidence/{entry_id}", headers=headers)).status_code == 500

            assert set(await columns_holding(settings, canary)) == WRITTEN_ABOUT_AN_ENTRY
            entry = await client.get(f"/v1/evidence/{entry_id}", headers=headers)
            assert entry.status_code == 200
            assert entry.json()["title"] == f"Title {canary}"
            links = await client.get(f"/v1/evidence/{entry_id}/competences", headers=headers)
            assert [link["note"] for link in links.json()["links"]] == [f"NMC.1 note {canary}", f"NMC.17 note {canary}"]
