"""The PDF portfolio, read back with pypdf: footer and QR code on every page, the record's
text (Unicode included), progress on the cover, thumbnails, and broken images survived."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pypdf
import pytest
import zxingcpp
from PIL import Image, ImageStat

import cpl.exports
from cpl.exports.pdf import render_portfolio, verify_pdf
from cpl.exports.pdf.thumbnails import THUMBNAIL_PX, thumbnail_jpeg
from tests.exports_pdf.records import (
    EXPORT_ID,
    IMAGE_RGB,
    LONG_REFLECTION,
    VERIFY_URL,
    WORKER_NAME,
    entry,
    make_record,
    rich_entry,
    write_attachments,
)


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    folder = tmp_path_factory.mktemp("portfolio")
    files, images = write_attachments(folder)
    long_url = "https://example.org/" + "a" * 400
    record = make_record(
        [
            rich_entry(files),
            entry(2, description=f"Slides at {long_url}\r\nBell:\x07 done."),
            entry(3, ended_on=None, duration_minutes=0, participatory=False),
        ]
    )
    out = folder / "portfolio.pdf"
    render_portfolio(record, VERIFY_URL, out, images)
    return record, out


@pytest.fixture(scope="module")
def pages(portfolio: tuple[dict, Path]) -> list[pypdf.PageObject]:
    return list(pypdf.PdfReader(portfolio[1]).pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _body(pages: list[pypdf.PageObject]) -> str:
    """The pages' text without their footers, as one line."""
    footer = f"Check this portfolio at {VERIFY_URL}, or scan the code."
    texts = (
        _flat(page.extract_text()).replace(f"Export {EXPORT_ID} · page {n} of {len(pages)}", "").replace(footer, "")
        for n, page in enumerate(pages, start=1)
    )
    return _flat(" ".join(texts))


def _qr_codes(page: pypdf.PageObject) -> list[str]:
    return [code.text for image in page.images for code in zxingcpp.read_barcodes(image.image)]


def test_the_test_record_follows_the_published_format(portfolio: tuple[dict, Path]) -> None:
    schema = json.loads((Path(cpl.exports.__file__).parent / "portable-record-1.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(portfolio[0])


def test_every_page_footer_names_the_export_and_the_page(pages: list[pypdf.PageObject]) -> None:
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        text = _flat(page.extract_text())
        assert f"Export {EXPORT_ID} · page {number} of {len(pages)}" in text
        assert f"Check this portfolio at {VERIFY_URL}" in text


def test_every_page_carries_a_qr_code_of_the_verification_page(pages: list[pypdf.PageObject]) -> None:
    for page in pages:
        assert _qr_codes(page) == [VERIFY_URL]


def test_the_qr_code_is_embedded_once_and_shared_by_every_page(pages: list[pypdf.PageObject]) -> None:
    references = set()
    for page in pages:
        xobjects = page["/Resources"]["/XObject"]
        qr = [ref for name, ref in xobjects.items() if zxingcpp.read_barcodes(xobjects[name].decode_as_image())]
        references.update(ref.idnum for ref in qr)
    assert len(references) == 1


def test_the_cover_shows_worker_export_and_progress_against_each_pack(pages: list[pypdf.PageObject]) -> None:
    cover = _flat(pages[0].extract_text())
    for expected in (
        WORKER_NAME,
        "siobhan@example.org",
        f"Export: {EXPORT_ID}",
        "2023-04-01 to the export date",
        "Generated: 2025-06-01 12:00 UTC",
        "cpl (example), https://cpl.example (did:web:cpl.example)",
        "NMC — nursing, registration 98Y1234E",
        "NMC CPD requirements, edition 2024-1",
        "35 hours of CPD hours 35 h 25 h 30 min 9 h 30 min 2026-03-31 At risk",
        "20 hours participatory hours 20 h 20 h 0 min 2026-03-31 Met",
        "5 reflective accounts entries 5 2 3 2026-03-31 On track",
        "CORU — social_work, registration SW012345",
        "30 CPD credits credits 30 12.5 17.5 2026-03-31 Not met",
    ):
        assert expected in cover


def test_entries_carry_reflection_competences_verifications_and_peer(pages: list[pypdf.PageObject]) -> None:
    text = _body(pages)
    for expected in (
        "1. Reflective account — night-shift handover",
        "Reflective account · 2025-03-01 to 2025-03-02",
        "3 h 30 min · activity: Course · participatory",
        "What happened",
        "What I learned",
        "Listening comes first.",
        "How it changes my practice",
        "I now start every handover with the family’s concerns.",
        "1.1: Treat people as individuals (The Code (NMC)) Handover centred on the family.",
        "8.2: Maintain effective communication (The Code (NMC))",
        "Zoë Nakamura-Brennan (Ward manager; St Mungo’s Trust, vetted organisation; registration NMC 12A3456B "
        "(as given, not checked with the register)) — verified 2025-03-05 10:30 UTC",
        "“I watched this practice and confirm it took place.”",
        "Aoife Ní Bhriain, Charge nurse, PIN 12B3456C",
        "We agreed a shared checklist.",
        "2. Entry 2: sepsis update — “Sepsis Six”",
        "Bell: done.",
        "3. Entry 3: sepsis update — “Sepsis Six” Learning activity · 2025-03-01 · activity: Course · "
        "not participatory",
    ):
        assert expected in text
    assert _flat(LONG_REFLECTION) in text


def test_a_long_reflection_breaks_across_pages(pages: list[pypdf.PageObject]) -> None:
    first = next(n for n, page in enumerate(pages) if "Paragraph 0:" in page.extract_text())
    last = next(n for n, page in enumerate(pages) if "Paragraph 59:" in page.extract_text())
    assert last > first


def test_attachments_are_listed_and_images_shown_as_thumbnails(
    portfolio: tuple[dict, Path], pages: list[pypdf.PageObject]
) -> None:
    record, _ = portfolio
    photo, certificate, broken = record["entries"][0]["attachments"]
    text = _flat(" ".join(page.extract_text() for page in pages))
    assert f"ward-round.png: image/png, {photo['size'] / 1024:.1f} KB, SHA-256 {photo['sha256'][:16]}…" in text
    assert f"certificate.pdf: application/pdf, 36 bytes, SHA-256 {certificate['sha256'][:16]}…" in text
    assert f"broken.jpg: image/jpeg, 30 bytes, SHA-256 {broken['sha256'][:16]}…" in text
    assert "(The image broken.jpg could not be shown.)" in text
    thumbnails = [image.image for page in pages for image in page.images if not zxingcpp.read_barcodes(image.image)]
    assert len(thumbnails) == 1
    assert max(thumbnails[0].size) <= THUMBNAIL_PX
    assert thumbnails[0].size[0] > thumbnails[0].size[1]
    mean = ImageStat.Stat(thumbnails[0].convert("RGB")).mean
    assert all(abs(got - want) < 8 for got, want in zip(mean, IMAGE_RGB, strict=True))


def test_text_is_set_in_the_bundled_unicode_font(pages: list[pypdf.PageObject]) -> None:
    fonts = {str(font.get_object()["/BaseFont"]) for page in pages for font in page["/Resources"]["/Font"].values()}
    assert fonts and all("DejaVuSans" in name for name in fonts)


def test_the_portfolio_names_its_export_and_is_not_yet_signed(portfolio: tuple[dict, Path]) -> None:
    metadata = pypdf.PdfReader(portfolio[1]).metadata
    assert metadata["/CplExportId"] == EXPORT_ID
    assert metadata["/Title"] == f"CPL portfolio of {WORKER_NAME}"
    check = verify_pdf(portfolio[1], {"keys": []})
    assert (check.valid, check.export_id, check.reasons) == (False, EXPORT_ID, ["the file has no PDF signature"])


def test_a_record_without_entries_or_progress_still_renders(tmp_path: Path) -> None:
    record = make_record([])
    record["registrations"][0]["progress"] = None
    out = tmp_path / "empty.pdf"
    render_portfolio(record, VERIFY_URL, out, {})
    reader = pypdf.PdfReader(out)
    text = _flat(reader.pages[0].extract_text())
    assert len(reader.pages) == 1
    assert "Entries: 0" in text
    assert "Progress against the requirement pack was not included in this export." in text
    assert _qr_codes(reader.pages[0]) == [VERIFY_URL]


@pytest.mark.parametrize(("mode", "image_format"), [("RGB", "JPEG"), ("RGBA", "PNG"), ("P", "PNG")])
def test_an_image_already_smaller_than_a_thumbnail_is_shown(tmp_path: Path, mode: str, image_format: str) -> None:
    small = tmp_path / f"small.{image_format.lower()}"
    Image.new(mode, (40, 30)).save(small, image_format)
    thumbnail = thumbnail_jpeg(small)
    assert thumbnail is not None
    assert (thumbnail.width, thumbnail.height) == (40, 30)
