"""Time and peak memory of rendering and signing a portfolio of many entries, with this tree's code.

Run: ``.venv/bin/python -m bench.pdf_render [entries]`` (default 1,000); ``bench.pdf_export``
runs it against a baseline revision too, in the same run. Every
entry has a reflection of about 300 words, a competence and a verification; every tenth has a
photo of its own (so each thumbnail is decoded and embedded, none shared).
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import pypdf
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image

from cpl.exports.pdf import render_portfolio, sign_pdf, signing_identity
from cpl.settings import Settings
from cpl.signing import Signer
from cpl.signing.keys import jwk_thumbprint, public_jwk
from tests.exports_pdf.records import VERIFY_URL, attachment, competence, entry, make_record, verification

WORDS = "Handover at the bedside with the family present changed what we noticed about the patient’s night. "


def _entries(count: int, folder: Path) -> tuple[list[dict], dict[str, Path]]:
    entries, images = [], {}
    for n in range(1, count + 1):
        text = WORDS * 6
        item = entry(
            n,
            reflection={"what_happened": text, "what_i_learned": text, "how_it_changes_practice": text},
            competences=[competence("1.1", "Treat people as individuals")],
        )
        item["verifications"] = [verification(item["content_sha256"])]
        if n % 10 == 0:
            photo = folder / f"photo-{n}.jpg"
            Image.new("RGB", (1600, 1200), (n % 256, 90, 160)).save(photo, quality=85)
            item["attachments"] = [attachment(photo.name, "image/jpeg", photo.read_bytes())]
            images[item["attachments"][0]["id"]] = photo
        entries.append(item)
    return entries, images


def main(count: int) -> None:
    key = Ed25519PrivateKey.generate()
    kid = jwk_thumbprint(key.public_key())
    method = f"did:web:cpl.example#{kid}"
    signer = Signer(
        kid=kid,
        verification_method=method,
        public_jwk=public_jwk(key.public_key(), method),
        private_key=key,
    )
    with tempfile.TemporaryDirectory() as folder:
        entries, images = _entries(count, Path(folder))
        out = Path(folder) / "portfolio.pdf"
        started, started_cpu = time.perf_counter(), time.process_time()
        render_portfolio(make_record(entries), VERIFY_URL, out, images)
        rendered, rendered_cpu = time.perf_counter(), time.process_time()
        sign_pdf(out, signing_identity(Settings(), signer), "bench")
        signed, signed_cpu = time.perf_counter(), time.process_time()
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        pages = len(pypdf.PdfReader(out).pages)
        print(
            f"{count} entries, {len(images)} photos, {pages} pages: render {rendered - started:.1f} s, sign "
            f"{signed - rendered:.2f} s, "
            f"{out.stat().st_size / 1024 / 1024:.1f} MiB, peak RSS {peak_mib:.0f} MiB; CPU: render "
            f"{rendered_cpu - started_cpu:.1f} s, sign {signed_cpu - rendered_cpu:.2f} s"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
