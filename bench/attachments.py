"""Attachments bench (issue 3): a 100 MB file through the API, and thumbnailing a 12 MP photo.

    .venv/bin/python -m bench.attachments [--runs 3] [--megabytes 100]

1. An S3-compatible server (moto, in server mode, its own process) and ``cpl serve`` (its
   own process, SQLite, ``CPL_STORAGE_URL=s3://…`` on that server) on 127.0.0.1.
2. For each run, a fresh file of random bytes behind a WAV header (an accepted voice-note
   type that is not re-encoded, so every byte goes to the store): boto3 ``put_object``
   of the file straight to the same endpoint (the baseline), then the same file through
   ``POST /v1/evidence/{id}/attachments`` as a raw streamed body (``--form``:
   multipart/form-data). The server's RSS is sampled every 5 ms during the upload;
   growth = peak − RSS just before.
3. In this process: a 12-megapixel (4000×3000) JPEG through the image pipeline
   (decode, EXIF orientation, metadata stripped by re-encoding, thumbnail), and the
   320 px thumbnail step alone.

Targets: RSS growth < 64 MB; API throughput ≥ 50% of the baseline; 12 MP photo < 1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3
import httpx
import psutil
from PIL import Image

HOST = "127.0.0.1"
BUCKET = "cpl-bench"
CREDENTIALS = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench-secret"}
MB = 1024 * 1024


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


@contextmanager
def process(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    with log.open("wb") as output:
        child = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            yield child
        finally:
            child.terminate()
            child.wait(timeout=30)


def cpl_environment(work: Path, endpoint: str, megabytes: int) -> dict[str, str]:
    return {
        **os.environ,
        "CPL_DATA_DIR": str(work / "cpl"),
        "CPL_STORAGE_URL": f"s3://{BUCKET}/cpl",
        "CPL_STORAGE_ENDPOINT_URL": endpoint,
        "CPL_STORAGE_PATH_STYLE": "true",
        "CPL_STORAGE_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "CPL_STORAGE_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
        "CPL_STORAGE_READ_TIMEOUT_SECONDS": "60",
        "CPL_ATTACHMENT_MAX_BYTES": str((megabytes + 1) * MB),
        "CPL_ATTACHMENT_QUOTA_BYTES": str(100 * 1024 * MB),
    }


def write_voice_note(path: Path, megabytes: int) -> None:
    """A WAV header then random bytes: incompressible, accepted, stored byte for byte."""
    size = megabytes * MB
    header = b"RIFF" + struct.pack("<I", size - 8) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16)
    header += b"data" + struct.pack("<I", size - len(header) - 8)
    with path.open("wb") as handle:
        handle.write(header)
        remaining = size - len(header)
        while remaining:
            handle.write(os.urandom(min(remaining, 4 * MB)))
            remaining -= min(remaining, 4 * MB)


class PeakRss:
    """Samples a process's resident memory every 5 ms while running."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.before = self.process.memory_info().rss
        self.peak = self.before
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.005)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.before) / MB


def file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(MB):
            yield chunk


def api_upload(base: str, headers: dict, entry_id: str, path: Path, client, form: bool = False) -> tuple[float, float]:
    """Seconds until the 201, and until the background promotion has emptied the staging area."""
    url = f"{base}/v1/evidence/{entry_id}/attachments"
    started = time.perf_counter()
    if form:
        with path.open("rb") as body:
            response = httpx.post(
                url, files={"file": ("voice-note.wav", body, "audio/wav")}, headers=headers, timeout=600
            )
    else:
        sent = {**headers, "Content-Type": "audio/wav", "Content-Length": str(path.stat().st_size)}
        response = httpx.post(f"{url}?filename=voice-note.wav", content=file_chunks(path), headers=sent, timeout=600)
    answered = time.perf_counter() - started
    if response.status_code != 201:
        raise RuntimeError(f"upload failed: {response.status_code} {response.text}")
    while client.list_objects_v2(Bucket=BUCKET, Prefix="cpl/staging/").get("KeyCount", 0):
        time.sleep(0.02)
    promoted = time.perf_counter() - started
    httpx.delete(f"{base}/v1/evidence/{entry_id}/attachments/{response.json()['id']}", headers=headers)
    return answered, promoted


def boto3_put(client, path: Path) -> float:
    key = f"baseline/{uuid.uuid4().hex}"
    started = time.perf_counter()
    with path.open("rb") as body:
        client.put_object(Bucket=BUCKET, Key=key, Body=body, ContentType="audio/wav")
    elapsed = time.perf_counter() - started
    client.delete_object(Bucket=BUCKET, Key=key)
    return elapsed


def sign_up_with_entry(base: str) -> tuple[dict, str]:
    email = f"bench-{uuid.uuid4().hex[:8]}@example.org"
    credentials = {"email": email, "password": "correct horse battery staple"}
    httpx.post(f"{base}/v1/auth/register", json={**credentials, "display_name": "Bench"}).raise_for_status()
    token = httpx.post(f"{base}/v1/auth/login", json=credentials).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    entry = {
        "kind": "learning_activity",
        "title": "Voice note",
        "occurred_on": time.strftime("%Y-%m-%d"),
        "duration_minutes": 30,
        "activity_type": "other",
    }
    entry_id = str(uuid.uuid4())
    response = httpx.put(f"{base}/v1/evidence/{entry_id}", json=entry, headers=headers)
    response.raise_for_status()
    return headers, entry_id


def upload_bench(runs: int, megabytes: int, form: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="cpl-bench-") as scratch:
        work = Path(scratch)
        s3_port, cpl_port = free_port(), free_port()
        endpoint, base = f"http://{HOST}:{s3_port}", f"http://{HOST}:{cpl_port}"
        moto = [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(s3_port)]
        serve = [str(Path(sys.executable).parent / "cpl"), "serve", "--host", HOST, "--port", str(cpl_port)]
        with process(moto, {**os.environ}, work / "moto.log"):
            wait_until_up(endpoint)
            client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS)
            client.create_bucket(Bucket=BUCKET)
            with process(serve, cpl_environment(work, endpoint, megabytes), work / "cpl.log") as server:
                wait_until_up(f"{base}/health")
                headers, entry_id = sign_up_with_entry(base)
                path = work / "voice-note.wav"
                write_voice_note(path, 1)
                api_upload(base, headers, entry_id, path, client)  # warm-up: imports, connection pools
                baseline, answered, promoted, growth = [], [], [], []
                for _ in range(runs):
                    write_voice_note(path, megabytes)
                    baseline.append(boto3_put(client, path))
                    with PeakRss(server.pid) as rss:
                        timings = api_upload(base, headers, entry_id, path, client, form)
                    answered.append(timings[0])
                    promoted.append(timings[1])
                    growth.append(rss.growth_mb)
        report_uploads(megabytes, baseline, answered, promoted, growth)


def report_uploads(
    megabytes: int, baseline: list[float], answered: list[float], promoted: list[float], growth: list[float]
) -> None:
    def line(label: str, seconds: list[float]) -> float:
        rate = megabytes / statistics.median(seconds)
        print(f"{label}: median {statistics.median(seconds):.2f} s = {rate:.0f} MB/s  {[round(t, 2) for t in seconds]}")
        return rate

    base_rate = line("boto3 put_object straight to S3             ", baseline)
    api_rate = line("POST /attachments, until the 201            ", answered)
    full_rate = line("POST /attachments, until promoted (bg copy) ", promoted)
    print(
        f"throughput ratio (201): {api_rate / base_rate:.0%} (target >= 50%); including promotion: "
        f"{full_rate / base_rate:.0%}"
    )
    print(
        f"server peak RSS growth: max {max(growth):.1f} MB, median {statistics.median(growth):.1f} MB (target < 64 MB)"
    )


def twelve_megapixel_photo(path: Path) -> None:
    """A 4000×3000 phone-like photo: smooth gradients with sensor noise, EXIF orientation and GPS."""
    gradient = Image.linear_gradient("L").resize((4000, 3000))
    noise = Image.effect_noise((4000, 3000), 24)
    photo = Image.merge("RGB", (gradient, noise, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8825).update({1: "N", 2: (55.0, 57.0, 1.0)})
    photo.save(path, "JPEG", quality=90, exif=exif.tobytes())


def thumbnail_bench(runs: int) -> None:
    from cpl.attachments.images import _thumbnail, sanitize_image
    from cpl.attachments.sniff import JPEG

    with tempfile.TemporaryDirectory(prefix="cpl-bench-") as scratch:
        work = Path(scratch)
        source = work / "photo.jpg"
        twelve_megapixel_photo(source)
        pipeline, thumbnail_only = [], []
        for _ in range(runs):
            started = time.perf_counter()
            clean = sanitize_image(source, JPEG, work, 89_478_485, 128 * 1024 * 1024)
            pipeline.append(time.perf_counter() - started)
            image = Image.open(clean.path)
            image.load()
            started = time.perf_counter()
            _thumbnail(image, work / "thumb.jpg")
            thumbnail_only.append(time.perf_counter() - started)
        size = source.stat().st_size / MB
        print(
            f"12 MP JPEG ({size:.1f} MB), decode + orient + strip + re-encode + thumbnail: median "
            f"{statistics.median(pipeline):.3f} s {[round(t, 3) for t in pipeline]}"
        )
        print(
            f"12 MP JPEG, 320 px thumbnail step alone: median {statistics.median(thumbnail_only):.3f} s (target < 1 s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--form", action="store_true", help="send multipart/form-data instead of a raw body")
    args = parser.parse_args()
    print(
        f"machine: {os.cpu_count()} CPUs, {psutil.virtual_memory().total / 1024**3:.0f} GiB; python "
        f"{sys.version.split()[0]}; "
        f"load average before: {os.getloadavg()[0]:.1f}"
    )
    upload_bench(args.runs, args.megabytes, args.form)
    thumbnail_bench(max(args.runs, 5))


if __name__ == "__main__":
    main()
