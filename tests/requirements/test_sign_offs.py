"""Audit profiles say whether each sign-off came from a vetted organisation (issue 14, item 2)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.organisations.operators import operator, vet
from tests.requirements.helpers import register_on
from tests.reviews.helpers import submitted


def _profile_entry(profile: dict, entry_id: str) -> dict:
    return next(entry for entry in profile["cpd_log"] if entry["id"] == entry_id)


async def test_each_entrys_sign_offs_say_whether_the_organisation_was_vetted_when_it_verified(client, settings):
    t, made = await submitted(client)
    start = date.today() - timedelta(days=365)
    registration = await register_on(
        client, t.worker, "nmc", "nurse", start.isoformat(), start.replace(year=start.year + 3).isoformat()
    )
    path = f"/v1/me/registrations/{registration['id']}/audit-profile"
    assert _profile_entry((await client.get(path, headers=t.worker)).json(), t.entry["id"])["sign_offs"] == []

    verified = await client.post(f"/v1/reviews/{made['id']}/verify", json={"statement": "Seen."}, headers=t.supervisor)
    assert verified.status_code == 200, verified.text
    [sign_off] = _profile_entry((await client.get(path, headers=t.worker)).json(), t.entry["id"])["sign_offs"]
    assert sign_off["verifier_name"] == "Sam Supervisor" and sign_off["organisation_name"] == "Riverside Care"
    assert (sign_off["organisation_vetted"], sign_off["organisation_standing"]) == (
        False,
        "self-declared organisation",
    )

    op, _ = await operator(client, settings)
    await vet(client, op, t.organisation_id)
    [held] = _profile_entry((await client.get(path, headers=t.worker)).json(), t.entry["id"])["sign_offs"]
    assert held == sign_off
