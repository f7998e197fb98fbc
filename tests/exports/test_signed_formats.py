"""Bundle, PDF and credential exports, checked offline against the published keys (`cpl verify`)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import zipfile

import anyio
import pypdf
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from PIL import ImageStat

from cpl.exports.offline import verify_file
from cpl.exports.pdf.thumbnails import THUMBNAIL_PX
from tests.exports.helpers import check_against_schema, export_file, jwks, loads, wait_for, worker_record
from tests.exports_pdf.ca import LEAF_NAME, deployment_certificates
from tests.factories import sign_up


async def test_a_bundle_holds_every_file_with_a_signed_manifest(client, tmp_path):
    headers = await sign_up(client)
    made = await worker_record(client, headers)
    done, data = await export_file(client, headers, "bundle")
    assert (done["sha256"], done["size"]) == (hashlib.sha256(data).hexdigest(), len(data))
    path = tmp_path / "bundle.zip"
    path.write_bytes(data)
    with zipfile.ZipFile(path) as bundle:
        names = bundle.namelist()
        manifest = json.loads(bundle.read("manifest.json"))
        record = loads(bundle.read("record.json"))
    await check_against_schema(client, record)
    files = {file["id"]: file for file in made["files"]}
    assert {f"attachments/{file_id}/{file['filename']}" for file_id, file in files.items()} <= set(names)
    assert {"record.json", "entries.csv", "portfolio.pdf", "credential/clr.json", "credential/clr.jwt"} <= set(names)
    assert [item["path"] for item in manifest["files"]] == names[:-2] and names[-2:] == [
        "manifest.json",
        "manifest.sig",
    ]
    assert manifest["export_id"] == done["id"] and done["progress"]["done"] == done["progress"]["total"]
    verdict = verify_file(path, await jwks(client))
    assert verdict.valid and verdict.kind == "bundle" and verdict.export_id == done["id"], verdict.reasons


async def test_changing_any_byte_adding_or_removing_a_file_is_detected(client, tmp_path):
    headers = await sign_up(client)
    await worker_record(client, headers)
    _, data = await export_file(client, headers, "bundle")
    keys = await jwks(client)
    altered = tmp_path / "altered.zip"
    for position in range(0, len(data), max(len(data) // 300, 1)):
        changed = bytearray(data)
        changed[position] ^= 0x20
        altered.write_bytes(bytes(changed))
        assert not verify_file(altered, keys).valid, f"byte {position} changed undetected"
    altered.write_bytes(data + b"\0")
    assert not verify_file(altered, keys).valid
    original = tmp_path / "original.zip"
    original.write_bytes(data)
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(altered, "w") as target:
        for info in source.infolist():
            if info.filename != "entries.csv":
                target.writestr(info, source.read(info))
        target.writestr("extra.txt", b"added")
    verdict = verify_file(altered, keys)
    assert not verdict.valid
    assert any("entries.csv" in reason for reason in verdict.reasons)
    assert any("extra.txt" in reason for reason in verdict.reasons)


async def test_keys_other_than_the_issuers_do_not_verify_a_bundle(client, tmp_path):
    headers = await sign_up(client)
    await worker_record(client, headers)
    _, data = await export_file(client, headers, "bundle")
    path = tmp_path / "bundle.zip"
    path.write_bytes(data)
    keys = await jwks(client)
    impostor = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    forged = {"keys": [{**key, "x": base64.urlsafe_b64encode(impostor).decode().rstrip("=")} for key in keys["keys"]]}
    verdict = verify_file(path, forged)
    assert not verdict.valid and any("manifest.sig" in reason for reason in verdict.reasons)


@pytest.mark.parametrize(
    ("export_format", "options"), [("pdf", {}), ("credential", {}), ("credential", {"credential_form": "jwt"})]
)
async def test_pdf_and_credential_exports_verify_offline(client, tmp_path, export_format, options):
    headers = await sign_up(client)
    await worker_record(client, headers)
    started = await client.post("/v1/exports", json={"format": export_format, "options": options}, headers=headers)
    assert started.status_code == 202, started.text
    done = await wait_for(client, headers, started.json()["id"])
    download = await client.get(done["download_url"], headers=headers)
    assert download.status_code == 200
    data = download.content
    if options:
        assert download.headers["content-type"] == "application/jwt" and data.count(b".") == 2
        assert "clr.jwt" in download.headers["content-disposition"]
    path = tmp_path / "export"
    path.write_bytes(data)
    keys = await jwks(client)
    verdict = await anyio.to_thread.run_sync(verify_file, path, keys)
    assert verdict.valid, verdict.reasons
    changed = bytearray(data)
    changed[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(changed))
    assert not (await anyio.to_thread.run_sync(verify_file, path, keys)).valid


async def _cpl_verify(*arguments: str) -> tuple[int, str, str]:
    command = [sys.executable, "-m", "cpl.cli", "verify", *arguments]
    done = await anyio.run_process(command, check=False, env={"PATH": ""})
    return done.returncode, done.stdout.decode(), done.stderr.decode()


@pytest.mark.parametrize("export_format", ["bundle", "pdf"])
async def test_cpl_verify_gives_a_verdict_and_fails_on_an_altered_file(client, tmp_path, export_format):
    headers = await sign_up(client)
    await worker_record(client, headers)
    done, data = await export_file(client, headers, export_format)
    keys = tmp_path / "jwks.json"
    keys.write_text(json.dumps(await jwks(client)))
    path = tmp_path / f"export.{export_format}"
    path.write_bytes(data)
    status, out, err = await _cpl_verify(str(path), "--keys", str(keys))
    assert status == 0 and out.startswith(f"VALID: {path} is a genuine, unaltered"), err
    assert f"(export {done['id']})" in out
    path.write_bytes(data[:100] + bytes([data[100] ^ 1]) + data[101:])
    status, _, err = await _cpl_verify(str(path), "--keys", str(keys))
    assert status == 1 and "NOT VALID" in err


async def test_cpl_verify_names_the_pdf_signer_and_why_a_changed_pdf_fails(client, tmp_path):
    headers = await sign_up(client)
    await worker_record(client, headers)
    done, data = await export_file(client, headers, "pdf")
    keys = tmp_path / "jwks.json"
    keys.write_text(json.dumps(await jwks(client)))
    path = tmp_path / "portfolio.pdf"
    path.write_bytes(data)
    status, out, _ = await _cpl_verify(str(path), "--keys", str(keys))
    assert (status, out) == (
        0,
        f"VALID: {path} is a genuine, unaltered PDF portfolio signed by cpl (export {done['id']}).\n",
    )
    info = data.index(b"/CplExportId")
    path.write_bytes(data[:info] + b"/CplExportID" + data[info + 12 :])
    status, _, err = await _cpl_verify(str(path), "--keys", str(keys))
    assert status == 1 and "  - the file has changed since it was signed" in err


async def test_a_deployment_certificate_signs_pdfs_and_cpl_verify_trusts_its_root(client_for, make_settings, tmp_path):
    files = deployment_certificates(tmp_path)
    settings = make_settings(
        pdf_signing_key_file=files.key_file,
        pdf_signing_cert_file=files.cert_file,
        pdf_signing_chain_file=files.chain_file,
    )
    client = await client_for(settings)
    headers = await sign_up(client)
    await worker_record(client, headers)
    _, data = await export_file(client, headers, "pdf")
    keys = tmp_path / "jwks.json"
    keys.write_text(json.dumps(await jwks(client)))
    path = tmp_path / "portfolio.pdf"
    path.write_bytes(data)
    status, out, _ = await _cpl_verify(str(path), "--keys", str(keys), "--trust", str(files.root_file))
    assert status == 0 and f"signed by {LEAF_NAME} (export" in out
    status, _, err = await _cpl_verify(str(path), "--keys", str(keys))
    assert status == 1
    assert "the signing certificate is neither issued by a key the issuer publishes nor by a trusted root" in err


async def test_a_pdf_export_shows_each_picture_as_a_thumbnail(client):
    headers = await sign_up(client)
    await worker_record(client, headers)  # with an 800×600 red picture
    _, data = await export_file(client, headers, "pdf")
    pictures = [image.image.convert("RGB") for page in pypdf.PdfReader(io.BytesIO(data)).pages for image in page.images]
    means = [(picture, ImageStat.Stat(picture).mean) for picture in pictures]
    red = [picture for picture, (r, g, _) in means if r > 200 and g < 60]
    assert len(red) == 1 and max(red[0].size) <= THUMBNAIL_PX
