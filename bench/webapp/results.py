"""The section bench.webapp writes into bench/RESULTS.md: each measure's median, min–max and
baseline from the same run, and each of issue 13's targets met or missed with its figure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.stats import median
from bench.webapp.lighthouse import Audit
from bench.webapp.loading import FirstVisit, OfflineStart
from bench.webapp.saving import OfflineSave
from bench.webapp.shell_size import TARGET_BYTES, ShellSize
from bench.webapp.syncing import QueueSynced

TARGETS_MS = {"first visit": 3000.0, "offline start": 1000.0, "save": 50.0, "sync": 10_000.0}
LIGHTHOUSE_TARGETS = {"performance": 90, "accessibility": 100, "best-practices": 95}


@dataclass
class Measured:
    shell: ShellSize | None = None
    first_visits: list[FirstVisit] = field(default_factory=list)
    first_visit_baseline: list[float] = field(default_factory=list)
    offline_starts: dict[float, tuple[list[OfflineStart], list[float]]] = field(default_factory=dict)
    saves: dict[float, list[OfflineSave]] = field(default_factory=dict)
    syncs: dict[float, list[QueueSynced]] = field(default_factory=dict)
    audits: list[Audit] = field(default_factory=list)


def verdict(met: bool) -> str:
    return "**met**" if met else "**MISSED**"


def spread(values: Sequence[float], unit: str = "ms") -> str:
    """Median, then min–max, of a run's values."""
    return f"{median(values):,.0f} {unit} ({min(values):,.0f}–{max(values):,.0f})"


def shell_lines(shell: ShellSize) -> list[str]:
    rows = ["| file | raw bytes | gzip bytes |", "|---|---:|---:|"]
    rows += [f"| `{f.path}` (index.html) | {f.raw_bytes:,} | {f.gzip_bytes:,} |" for f in shell.loaded_by_index]
    rows.append(
        f"| `sw.js` (fetched after load; not counted) | {shell.service_worker.raw_bytes:,} "
        f"| {shell.service_worker.gzip_bytes:,} |"
    )
    everything = sum(f.gzip_bytes for f in shell.precached_all)
    return [
        *rows,
        "",
        f"Everything precached for offline use ({len(shell.precached_all)} files, icons included): "
        f"{everything:,} bytes gzipped.",
        f"- App shell JS + CSS gzipped ≤ {TARGET_BYTES:,} bytes: {shell.shell_gzip_bytes:,} bytes "
        f"({shell.shell_gzip_bytes / TARGET_BYTES:.0%} of the budget) — "
        f"{verdict(shell.shell_gzip_bytes <= TARGET_BYTES)}",
    ]


def first_visit_lines(visits: list[FirstVisit], baseline: list[float]) -> list[str]:
    interactive = [v.main_thread_free_ms for v in visits]
    rows = [
        "| milestone (ms since navigation start) | median (min–max) |",
        "|---|---|",
        f"| baseline: `GET /health` as a page, load event | {spread(baseline)} |",
        f"| document received | {spread([v.document_ms for v in visits])} |",
        f"| app script received | {spread([v.script_ms for v in visits])} |",
        f"| `GET /v1/me` answered (401: signed out) | {spread([v.who_am_i_ms for v in visits])} |",
        f'| "Email" box in the page, visible and enabled | {spread([v.email_shown_ms for v in visits])} |',
        f"| **interactive**: first task after that (main thread free) | {spread(interactive)} |",
        "| text typed by Playwright as soon as it found the box, handled "
        f"| {spread([v.interactive_ms for v in visits])} |",
        "",
        f"Transferred: {median([v.transferred_bytes for v in visits]):,.0f} bytes. Interactive / baseline: "
        f"{median(interactive) / median(baseline):.1f}×.",
        f"- First visit on Slow 4G, 4× CPU, interactive < 3 s: {median(interactive) / 1000:.2f} s — "
        f"{verdict(median(interactive) < TARGETS_MS['first visit'])}",
    ]
    return rows


def offline_start_lines(measured: dict[float, tuple[list[OfflineStart], list[float]]]) -> list[str]:
    rows = [
        '| CPU | document from the service worker | "New entry" enabled | **log lists an entry** '
        "| baseline: `GET /health` online, load | ratio |",
        "|---|---|---|---|---|---:|",
    ]
    verdicts = []
    for slowdown, (starts, baseline) in measured.items():
        listed = [s.entry_listed_ms for s in starts]
        rows.append(
            f"| {slowdown:g}× | {spread([s.document_ms for s in starts])} | {spread([s.new_entry_ms for s in starts])} "
            f"| {spread(listed)} | {spread(baseline)} | {median(listed) / median(baseline):.1f}× |"
        )
        verdicts.append(
            f"- Start offline from cache < 1 s, CPU {slowdown:g}×: {median(listed):,.0f} ms — "
            f"{verdict(median(listed) < TARGETS_MS['offline start'])}"
        )
    return [*rows, "", *verdicts]


def save_lines(measured: dict[float, list[OfflineSave]]) -> list[str]:
    rows = [
        '| CPU | "Saved on this phone." shown | status counts it | **saved** (later of the two) '
        "| baseline: raw IndexedDB put | ratio |",
        "|---|---|---|---|---|---:|",
    ]
    verdicts = []
    for slowdown, saves in measured.items():
        saved = [s.saved_ms for s in saves]
        baseline = [s.baseline_put_ms for s in saves]
        rows.append(
            f"| {slowdown:g}× | {spread([s.saved_note_ms for s in saves])} | {spread([s.status_ms for s in saves])} "
            f"| {spread(saved)} | {spread(baseline)} | {median(saved) / median(baseline):.1f}× |"
        )
        verdicts.append(
            f"- Saving an entry offline < 50 ms, CPU {slowdown:g}×: {median(saved):,.0f} ms "
            f"(the confirmation alone: {median([s.saved_note_ms for s in saves]):,.0f} ms) — "
            f"{verdict(median(saved) < TARGETS_MS['save'])}"
        )
    return [*rows, "", *verdicts]


def sync_lines(measured: dict[float, list[QueueSynced]]) -> list[str]:
    rows = [
        '| CPU | **online → "All changes saved"** | the 5 batch requests\' own time | sent by | status updates '
        "| baseline: httpx, same 500 in 5 batches | ratio | API lists |",
        "|---|---|---|---|---:|---|---:|---:|",
    ]
    verdicts = []
    for slowdown, syncs in measured.items():
        app = [s.app_ms for s in syncs]
        baseline = [s.baseline_ms for s in syncs]
        rows.append(
            f"| {slowdown:g}× | {spread(app)} | {spread([s.batches_ms for s in syncs])} "
            f"| {'; '.join(dict.fromkeys(s.batches_sent_by for s in syncs))} "
            f"| {median([s.status_updates for s in syncs]):.0f} | {spread(baseline)} "
            f"| {median([a / b for a, b in zip(app, baseline, strict=True)]):.1f}× "
            f"| {', '.join(str(s.listed) for s in syncs)} |"
        )
        verdicts.append(
            f"- 500 queued entries synced < 10 s, CPU {slowdown:g}×: {median(app) / 1000:.1f} s — "
            f"{verdict(median(app) < TARGETS_MS['sync'])}"
        )
    return [*rows, "", *verdicts]


def lighthouse_lines(audits: list[Audit]) -> list[str]:
    rows = [
        "| page | run | performance | accessibility | best practices | FCP | LCP | TBT | CLS | SI "
        "| benchmark index | not passed |"
    ]
    rows.append("|---|---:|---:|---:|---:|---|---|---|---|---|---:|---|")
    verdicts = []
    for page in dict.fromkeys(a.page for a in audits):
        runs = [a for a in audits if a.page == page]
        for number, a in enumerate(runs, start=1):
            s, m = a.scores, a.metrics
            rows.append(
                f"| {page} | {number} | {s['performance']} | {s['accessibility']} | {s['best-practices']} | {m['FCP']} "
                f"| {m['LCP']} | {m['TBT']} | {m['CLS']} | {m['SI']} | {a.benchmark_index:,.0f} "
                f"| {', '.join(a.failed) or '—'} |"
            )
        for category, target in LIGHTHOUSE_TARGETS.items():
            score = median([a.scores[category] for a in runs])
            verdicts.append(
                f"- Lighthouse {category} on the {page} ≥ {target}: {score:g} (median of {len(runs)}) — "
                f"{verdict(score >= target)}"
            )
    return [*rows, "", *verdicts]
