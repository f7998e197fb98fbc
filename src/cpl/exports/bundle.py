"""The ZIP bundle: every file of an export, a manifest of their digests, and its signature.

Layout: the files (``record.json``, ``entries.csv``, ``portfolio.pdf``, ``credential/…``,
``attachments/<id>/<name>``), then ``manifest.json`` (each file's path, size and SHA-256)
and ``manifest.sig`` (a compact JWS, EdDSA, whose payload is exactly ``manifest.json``).

The container is canonical: entries stored uncompressed, fixed times and attributes, written
as a stream. So a verifier that holds the signed manifest can rebuild the whole container
from the files it read and compare it byte for byte with the one it was given: a changed
byte anywhere (a file, the manifest, the signature, a header, the directory, a trailing
comment), an added or a removed file — each is detected, offline, with the issuer's JWKS.

Everything here is blocking (file I/O, hashing): run it in a worker thread.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"
BUNDLE_FORMAT = "cpl-bundle"
READ_BYTES = 1024 * 1024


class HashingSink:
    """A write-only, unseekable stream that hashes and counts what passes (and writes it on, if given a file)."""

    def __init__(self, target: BinaryIO | None = None) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        if self.target is not None:
            self.target.write(data)
        self.digest.update(data)
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        if self.target is not None:
            self.target.flush()


def _info(path: str, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    info.file_size = size
    return info


class BundleWriter:
    """Writes the canonical container to ``out``; each file is added whole or streamed in chunks."""

    def __init__(self, out: Path) -> None:
        self._handle = out.open("wb")
        self.sink = HashingSink(self._handle)
        self._zip = zipfile.ZipFile(self.sink, "w", compression=zipfile.ZIP_STORED)  # type: ignore[arg-type]
        self.files: list[dict[str, Any]] = []
        self._open: tuple[BinaryIO, Any, str, int] | None = None

    def begin(self, path: str, size: int, media_type: str) -> None:
        self._open = (self._zip.open(_info(path, size), "w"), hashlib.sha256(), path, size)
        self.files.append({"path": path, "size": size, "media_type": media_type})

    def write(self, chunk: bytes) -> None:
        assert self._open is not None
        self._open[0].write(chunk)
        self._open[1].update(chunk)

    def end(self) -> str:
        """Close the file begun last; returns its SHA-256."""
        assert self._open is not None
        writer, digest, _, _ = self._open
        writer.close()
        self._open = None
        self.files[-1]["sha256"] = digest.hexdigest()
        return self.files[-1]["sha256"]

    def add_bytes(self, path: str, data: bytes, media_type: str) -> str:
        self.begin(path, len(data), media_type)
        self.write(data)
        return self.end()

    def add_file(self, path: str, source: Path, media_type: str) -> str:
        self.begin(path, source.stat().st_size, media_type)
        with source.open("rb") as handle:
            while chunk := handle.read(READ_BYTES):
                self.write(chunk)
        return self.end()

    def finish(self, header: dict[str, Any], sign: Callable[[bytes], str]) -> tuple[int, str]:
        """Add the manifest (``header`` + every file) and its signature; returns the bundle's size and SHA-256."""
        manifest = json.dumps({**header, "files": self.files}, ensure_ascii=False, indent=2).encode()
        self._zip.writestr(_info(MANIFEST, len(manifest)), manifest)
        self._zip.writestr(_info(SIGNATURE, 0), sign(manifest).encode())
        self._zip.close()
        self._handle.close()
        return self.sink.size, self.sink.digest.hexdigest()

    def abandon(self) -> None:
        """Give up on a half-written bundle: close everything, writing nothing more to the file."""
        self.sink.target = None
        with suppress(ValueError, RuntimeError):  # a half-written entry may fail its own checks
            if self._open is not None:
                self._open[0].close()
            self._zip.close()
        self._handle.close()


@dataclass
class BundleCheck:
    valid: bool = False
    export_id: str | None = None
    manifest: dict[str, Any] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(READ_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_checked(
    source: zipfile.ZipFile, rebuilt: zipfile.ZipFile, listed: dict[str, Any], check: BundleCheck
) -> None:
    """Copy one listed file into the rebuilt container, checking its size and SHA-256 on the way."""
    digest, size = hashlib.sha256(), 0
    with source.open(listed["path"]) as reader, rebuilt.open(_info(listed["path"], int(listed["size"])), "w") as writer:
        while chunk := reader.read(READ_BYTES):
            digest.update(chunk)
            size += len(chunk)
            writer.write(chunk)
    if size != listed["size"] or digest.hexdigest() != listed["sha256"]:
        check.reasons.append(f"{listed['path']}: its bytes differ from the signed manifest")


def _check_contents(source: zipfile.ZipFile, manifest_bytes: bytes, signature: bytes, check: BundleCheck) -> str:
    """Check every listed file and the set of names; returns the SHA-256 of the container rebuilt from them."""
    names = source.namelist()
    listed = check.manifest.get("files", [])
    expected = [item["path"] for item in listed] + [MANIFEST, SIGNATURE]
    if len(set(names)) != len(names):
        check.reasons.append("the bundle holds two files of the same name")
    for name in sorted(set(names) - set(expected)):
        check.reasons.append(f"{name}: a file the manifest does not list")
    for name in sorted(set(expected) - set(names)):
        check.reasons.append(f"{name}: listed in the manifest but missing")
    sink = HashingSink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as rebuilt:  # type: ignore[arg-type]
        for item in listed:
            if item["path"] in names:
                _copy_checked(source, rebuilt, item, check)
        rebuilt.writestr(_info(MANIFEST, len(manifest_bytes)), manifest_bytes)
        rebuilt.writestr(_info(SIGNATURE, 0), signature)
    return sink.digest.hexdigest()


def verify_bundle(path: Path, verify_jws: Callable[[str], bytes]) -> BundleCheck:
    """Check a bundle offline: the manifest's signature, every file against it, and the container itself."""
    check = BundleCheck()
    try:
        with zipfile.ZipFile(path) as source:
            manifest_bytes, signature = source.read(MANIFEST), source.read(SIGNATURE)
            try:
                if verify_jws(signature.decode("ascii")) != manifest_bytes:
                    check.reasons.append("manifest.sig was made over a different manifest")
            except Exception as error:  # any failure of the signature means "not genuine"
                check.reasons.append(f"manifest.sig does not verify: {error}")
            check.manifest = json.loads(manifest_bytes)
            check.export_id = check.manifest.get("export_id")
            rebuilt = _check_contents(source, manifest_bytes, signature, check)
    except (
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        TypeError,
        OSError,
        RuntimeError,
        NotImplementedError,
        EOFError,
        zlib.error,
    ) as error:
        # a damaged container fails in many ways inside zipfile; each means "not this bundle"
        check.reasons.append(f"not a readable cpl bundle: {error}")
        return check
    if not check.reasons and rebuilt != _file_digest(path):
        check.reasons.append(
            "the container differs from the canonical one (headers, directory or trailing bytes changed)"
        )
    check.valid = not check.reasons
    return check
