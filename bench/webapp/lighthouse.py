"""Lighthouse's mobile audit (its default: a Moto G Power screen, simulated Slow 4G, 4× CPU) of the
sign-in screen and, signed in with the app's session cookie, of the log.

Lighthouse comes from npm, pinned in ``bench/webapp/package.json`` and its lockfile
(``npm ci --prefix bench/webapp``); it drives Debian's Chromium (``CHROME_PATH``) with the same flags
as the browser tests. The signed-in run sends the ``__Host-cpl_session`` cookie as an extra header
on every request, as a phone that signed in before would.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.webapp.phone import CHROMIUM, CHROMIUM_FLAGS

LIGHTHOUSE = Path(__file__).with_name("node_modules") / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices")
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}


@dataclass(frozen=True)
class Audit:
    page: str
    scores: dict[str, int]
    metrics: dict[str, str]
    #: Audits of the accessibility and best-practices categories that did not pass, by id.
    failed: list[str]
    #: Lighthouse's measure of this host's speed when it ran (a fast desktop scores ~1,000–2,000).
    benchmark_index: float


def lighthouse_version() -> str:
    package = json.loads((LIGHTHOUSE.parent.parent / "package.json").read_text())
    return f"Lighthouse {package['version']}"


def audit(page: str, url: str, cookie: str | None = None) -> Audit:
    if not LIGHTHOUSE.exists():
        raise RuntimeError("Lighthouse is not installed: npm ci --prefix bench/webapp")
    with tempfile.TemporaryDirectory() as work:
        report_path = Path(work) / "report.json"
        command = [
            "node",
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report_path}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}",
        ]
        if cookie:
            command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
        subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True, timeout=600)
        report = json.loads(report_path.read_text())
    return _read(page, report)


def _read(page: str, report: dict) -> Audit:
    categories, audits = report["categories"], report["audits"]
    failed = [
        reference["id"]
        for name in ("accessibility", "best-practices")
        for reference in categories[name]["auditRefs"]
        if reference["weight"] > 0 and audits[reference["id"]]["score"] not in (None, 1)
    ]
    return Audit(
        page=page,
        scores={name: round(categories[name]["score"] * 100) for name in CATEGORIES},
        metrics={short: audits[name]["displayValue"] for name, short in METRICS.items()},
        failed=failed,
        benchmark_index=report["environment"]["benchmarkIndex"],
    )
