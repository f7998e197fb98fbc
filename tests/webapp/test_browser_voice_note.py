"""A voice note recorded in the app with Chromium's fake microphone reaches cpl as audio (issue 13, item 4)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.webapp.phone import (
    ALL_SAVED,
    SYNC_TIMEOUT_MS,
    WorkerApi,
    assert_accessible,
    eventually,
    expect_sync_state,
    new_email,
    sign_up,
    write_entry,
)

pytestmark = pytest.mark.browser


def test_a_voice_note_recorded_in_the_app_arrives_as_audio(phone, cpl_server):
    page = phone.new_page()
    email = new_email()
    sign_up(page, email)
    write_entry(page, "Debrief after a difficult visit")
    page.get_by_role("button", name="Record voice note", exact=True).click()
    stop = page.get_by_role("button", name="Stop recording", exact=True)
    expect(stop).to_be_visible()
    assert_accessible(page, "editor (recording)")
    page.wait_for_timeout(2_000)  # two seconds of the fake microphone's tone
    stop.click()
    expect(page.get_by_role("button", name="Record voice note", exact=True)).to_be_visible()
    expect(page.get_by_text("Uploaded", exact=True)).to_be_visible(timeout=SYNC_TIMEOUT_MS)
    expect_sync_state(page, ALL_SAVED)

    api = WorkerApi(cpl_server, email)
    try:
        entry = api.entry_titled("Debrief after a difficult visit")
        [voice_note] = eventually(lambda: api.attachments(entry["id"]))
        assert voice_note["media_type"].startswith("audio/"), voice_note["media_type"]
        assert voice_note["size"] > 1_000
        content = api.content(voice_note)
        assert len(content) == voice_note["size"]
        assert content.startswith(b"OggS") or content[4:8] == b"ftyp", "an Ogg or MPEG-4 audio file"
    finally:
        api.close()
