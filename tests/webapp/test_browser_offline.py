"""A worker's day in the app, in Chromium against a running cpl (issue 13, items 3, 4 and 8).

Signed up and writing online; then no signal: three entries written, a photo with GPS in its EXIF
attached, the app reloaded — everything still listed and waiting; then the signal comes back and
the API shows each entry exactly once and the photo without its location.
"""

from __future__ import annotations

import io
from collections import Counter

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.attachments import corpus
from tests.webapp.phone import (
    ALL_SAVED,
    WAITING,
    WorkerApi,
    assert_accessible,
    attach_photo,
    back_to_log,
    entry_link,
    eventually,
    expect_sync_state,
    new_email,
    sign_up,
    wait_for_service_worker,
    write_entry,
)

pytestmark = pytest.mark.browser

GPS_IFD = 0x8825


def test_entries_written_offline_arrive_once_and_the_photo_loses_its_location(phone, cpl_server):
    page = phone.new_page()
    email = new_email()
    sign_up(page, email)
    write_entry(page, "Online: moving and handling refresher")
    expect_sync_state(page, ALL_SAVED)
    wait_for_service_worker(page)

    phone.set_offline(True)
    offline_titles = [f"Offline: night shift handover {number}" for number in (1, 2, 3)]
    photo = corpus.jpeg(width=640, height=480, gps=True)
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(GPS_IFD), "the test photo carries GPS"
    for number, title in enumerate(offline_titles):
        back_to_log(page)
        write_entry(page, title)
        if number == 1:
            attach_photo(page, photo)
    expect_sync_state(page, WAITING)

    page.reload()
    back_to_log(page)
    for title in ["Online: moving and handling refresher", *offline_titles]:
        expect(entry_link(page, title)).to_be_visible()
    expect_sync_state(page, WAITING)
    assert_accessible(page, "log (offline, entries waiting)")

    phone.set_offline(False)
    expect_sync_state(page, ALL_SAVED)

    api = WorkerApi(cpl_server, email)
    try:
        titles = Counter(entry["title"] for entry in api.entries())
        assert titles == Counter(["Online: moving and handling refresher", *offline_titles])
        with_photo = api.entry_titled(offline_titles[1])
        [attachment] = eventually(lambda: api.attachments(with_photo["id"]))
        assert attachment["media_type"] == "image/jpeg" and attachment["filename"] == "ward-whiteboard.jpg"
        stored = Image.open(io.BytesIO(api.content(attachment)))
        assert stored.size == (640, 480)
        assert not stored.getexif().get_ifd(GPS_IFD)
        for title in (offline_titles[0], offline_titles[2]):
            assert api.attachments(api.entry_titled(title)["id"]) == []
    finally:
        api.close()
