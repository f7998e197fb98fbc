"""Erase me (issue 16, item 6): closing at once, the job, and the canary found nowhere afterwards."""

from __future__ import annotations

from tests.accounts.second_factor_helpers import step_code
from tests.factories import PASSWORD, enrol_second_factor, put_entry, sign_up
from tests.privacy.helpers import canary_person, erase, every_stored_object, places_holding


async def test_the_canary_is_nowhere_after_erasure(api, privacy_settings):
    person = await canary_person(api)
    assert await places_holding(privacy_settings, person.word)  # the search finds it before
    status = await erase(api, person.headers)
    assert status["status"] == "done" and status["finished_at"]
    assert await places_holding(privacy_settings, person.word) == []
    # Only the erased person had files (compressed ones too: ZIPs): the store is empty again.
    assert every_stored_object(privacy_settings) == {}


async def test_the_account_is_closed_at_once_and_its_exports_say_withdrawn(api, privacy_settings, store):
    person = await canary_person(api)
    await erase(api, person.headers)
    assert (await api.get("/v1/me", headers=person.headers)).status_code == 401
    login = await api.post("/v1/auth/login", json={"email": person.email, "password": PASSWORD})
    assert login.status_code == 401
    verify = await api.get(f"/verify/{person.export_id}", headers={"Accept": "application/json"})
    assert verify.status_code == 410
    assert "withdrawn" in verify.json()["detail"]
    page = await api.get(f"/verify/{person.export_id}")
    assert page.status_code == 410 and "Withdrawn" in page.text
    # The supervisor's own record stays usable; the review of the erased worker's entry is gone.
    assert (await api.get("/v1/reviews", headers=person.supervisor)).json()["items"] == []


async def test_erasure_is_refused_without_the_confirmation_or_the_password(api):
    headers = await sign_up(api)
    await put_entry(api, headers)
    no_confirm = await api.request("DELETE", "/v1/me", json={"password": PASSWORD, "confirm": "yes"}, headers=headers)
    assert no_confirm.status_code == 422
    assert "confirm" in no_confirm.text
    wrong = await api.request(
        "DELETE", "/v1/me", json={"password": "wrong password", "confirm": "erase my account"}, headers=headers
    )
    assert wrong.status_code == 403
    assert (await api.get("/v1/me", headers=headers)).status_code == 200


async def test_erasure_needs_the_second_factor_when_it_is_on(api):
    headers = await sign_up(api)
    secret = await enrol_second_factor(api, headers)
    body = {"password": PASSWORD, "confirm": "erase my account"}
    refused = await api.request("DELETE", "/v1/me", json=body, headers=headers)
    assert refused.status_code == 422 and "code" in refused.text
    status = await erase(api, headers, code=step_code(secret, 1))  # the current one confirmed the enrolment
    assert status["status"] == "done"


async def test_an_unknown_erasure_is_not_found(api):
    assert (await api.get("/v1/erasures/00000000-0000-4000-8000-000000000000")).status_code == 404
