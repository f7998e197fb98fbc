"""Run bench.webapp: every measure of issue 13, item 9, in one command (see the package's docstring)."""

from __future__ import annotations

import argparse
import os
import shlex
import sqlite3
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench.report import machine_description, publish
from bench.webapp import lighthouse, loading, results, saving, syncing
from bench.webapp.phone import PHONE_CPU_SLOWDOWN, chromium
from bench.webapp.server import DEMO_EMAIL, DEMO_PASSWORD, Worker, cpl_app_server, session_cookie
from bench.webapp.shell_size import duplicated_precache_entries, measure_shell

HEADING = "## The worker's web app: shell size, load, offline start, offline save, sync, Lighthouse (issue 13, item 9)"
PARTS = ("size", "first-visit", "offline-start", "save", "sync", "lighthouse")


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.webapp", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="first visits and offline starts (each CPU rate)")
    parser.add_argument("--saves", type=int, default=10, help="offline saves at each CPU rate")
    parser.add_argument("--sync-runs", type=int, default=3, help="500-entry syncs at each CPU rate")
    parser.add_argument("--lighthouse-runs", type=int, default=3, help="Lighthouse audits of each page")
    parser.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS), help="measure only these")
    parser.add_argument("--record", action="store_true", help="write the results into bench/RESULTS.md")
    return parser.parse_args()


def measure_in_browser(args: argparse.Namespace, base_url: str, measured: results.Measured) -> str:
    rates = (1.0, float(PHONE_CPU_SLOWDOWN))
    with chromium() as browser:
        for _ in range(args.runs if "first-visit" in args.only else 0):
            measured.first_visit_baseline.append(loading.first_visit_baseline(browser, base_url))
            measured.first_visits.append(loading.first_visit(browser, base_url))
            print(f"  first visit: {measured.first_visits[-1]}", file=sys.stderr, flush=True)
        for rate in rates:
            if "offline-start" in args.only:
                measured.offline_starts[rate] = loading.offline_starts(browser, base_url, args.runs, rate)
            if "save" in args.only:
                measured.saves[rate] = saving.offline_saves(browser, base_url, args.saves, rate)
            if "sync" in args.only:
                measured.syncs[rate] = [syncing.queue_synced(browser, base_url, rate) for _ in range(args.sync_runs)]
            print(f"  CPU {rate:g}× done", file=sys.stderr, flush=True)
        return browser.version


def measure_lighthouse(args: argparse.Namespace, base_url: str, measured: results.Measured) -> None:
    cookie = session_cookie(base_url, Worker(DEMO_EMAIL, DEMO_PASSWORD))
    for _ in range(args.lighthouse_runs):
        measured.audits.append(lighthouse.audit("sign-in screen", f"{base_url}/app/"))
        measured.audits.append(lighthouse.audit("log (signed in)", f"{base_url}/app/", cookie))
        print(f"  lighthouse: {measured.audits[-2:]}", file=sys.stderr, flush=True)


def section(args: argparse.Namespace, measured: results.Measured, software: str, loads: tuple[float, float]) -> str:
    command = shlex.join([".venv/bin/python", "-m", "bench.webapp", *sys.argv[1:]])
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `{command}`.",
        "",
        f"Machine: {machine_description(software, 'headless Chromium driven by Playwright for Python', loads)}.",
        "",
        "Medians over the runs, min–max in brackets, each baseline measured in the same run. "
        '"CPU 4×" is Lighthouse\'s mobile CPU slowdown applied on top of this already shared machine.',
    ]
    parts = [
        ("App shell size", measured.shell and results.shell_lines(measured.shell)),
        (
            "First visit, Slow 4G and 4× CPU",
            measured.first_visits and results.first_visit_lines(measured.first_visits, measured.first_visit_baseline),
        ),
        ("Start offline from cache", measured.offline_starts and results.offline_start_lines(measured.offline_starts)),
        ("Saving an entry offline", measured.saves and results.save_lines(measured.saves)),
        ("500 queued entries synced", measured.syncs and results.sync_lines(measured.syncs)),
        ("Lighthouse, mobile", measured.audits and results.lighthouse_lines(measured.audits)),
    ]
    for title, part in parts:
        if part:
            lines += ["", f"### {title}", "", *part]
    return "\n".join(lines)


def main() -> None:
    args = parse_arguments()
    measured = results.Measured()
    loads = [os.getloadavg()[0]]
    if "size" in args.only:
        measured.shell = measure_shell()
        print(f"  precache manifest: {duplicated_precache_entries()} repeated entries", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="bench-webapp-") as work, cpl_app_server(Path(work)) as base_url:
        version = measure_in_browser(args, base_url, measured)
        if "lighthouse" in args.only:
            measure_lighthouse(args, base_url, measured)
    loads.append(os.getloadavg()[0])
    audited_by = f", {lighthouse.lighthouse_version()}" if "lighthouse" in args.only else ""
    software = f"Chromium {version}{audited_by}, SQLite {sqlite3.sqlite_version}"
    publish(section(args, measured, software, (loads[0], loads[1])), args.record, "bench.webapp", HEADING)


if __name__ == "__main__":
    main()
