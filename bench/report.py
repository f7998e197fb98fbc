"""Turning measured runs into the results table, and recording it in bench/RESULTS.md."""

from __future__ import annotations

import os
import platform
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.closed_loop import ThroughputRun
from bench.fixed_rate import FixedRateRun
from bench.stats import median

RESULTS = Path(__file__).with_name("RESULTS.md")
HEADING = "## PUT /v1/evidence/{id} against `cpl serve` (issue 2, item 8)"

#: Issue 2's targets.
MIN_POSTGRES_SHARE_OF_BARE = 0.35
MAX_POSTGRES_P99_MS = 50.0


@dataclass(frozen=True)
class TargetResult:
    """Everything measured for one target (bare, SQLite or PostgreSQL) in one bench run."""

    name: str
    throughput: list[ThroughputRun] = field(default_factory=list)
    fixed_rate: list[FixedRateRun] = field(default_factory=list)
    #: "database is locked" lines in the server's log, by test ("throughput", "fixed rate").
    locked_lines: Counter[str] = field(default_factory=Counter)

    @property
    def requests_per_second(self) -> float:
        return median([run.requests_per_second for run in self.throughput])

    @property
    def cpu_ms_per_request(self) -> float:
        return median([run.server_cpu_ms_per_request for run in self.throughput])

    def share_of(self, bare: TargetResult) -> float:
        """This target's median req/s over bare's."""
        return self.requests_per_second / bare.requests_per_second

    def cpu_share_of(self, bare: TargetResult) -> float:
        """Bare's median CPU per request over this target's: the throughput ratio the CPU allows."""
        return bare.cpu_ms_per_request / self.cpu_ms_per_request

    def paired_share_of(self, bare: TargetResult) -> float:
        """Median over rounds of this target's req/s over the bare run of the same round."""
        return median(
            [
                mine.requests_per_second / theirs.requests_per_second
                for mine, theirs in zip(self.throughput, bare.throughput, strict=True)
            ]
        )

    @property
    def throughput_errors(self) -> int:
        return sum(run.status_errors + run.socket_errors for run in self.throughput)


def machine_description(database_versions: str, generator: str, load_averages: tuple[float, float]) -> str:
    """The machine, its software, and how busy it already was (other work shares its cores)."""
    cpus = len(os.sched_getaffinity(0))
    memory_kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    model = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    return (
        f"{cpus} CPUs ({model.group(1) if model else platform.processor()}), {memory_kib / 2**20:.1f} GiB memory, "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}; {database_versions}; "
        f"load generator: {generator}, on the same machine as the servers and the database; "
        f"1-minute load average before and after the run ({cpus}.0 = every core busy): "
        f"{load_averages[0]:.2f} and {load_averages[1]:.2f}"
    )


def _runs(values: list[float]) -> str:
    return " / ".join(f"{value:,.0f}" for value in values)


def throughput_table(bare: TargetResult, targets: list[TargetResult]) -> list[str]:
    """Throughput and latency flat out, and the server's CPU per request with the ratio it implies."""
    rows = [
        "| target | req/s (median) | runs | vs bare | vs bare, paired | p50 ms | p99 ms | failed requests | db locked "
        "| server CPU ms/request | vs bare by CPU |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for target in [bare, *targets]:
        runs = target.throughput
        rows.append(
            f"| {target.name} | {target.requests_per_second:,.0f} | {_runs([r.requests_per_second for r in runs])} "
            f"| {target.share_of(bare):.1%} | {target.paired_share_of(bare):.1%} "
            f"| {median([r.p50_ms for r in runs]):.1f} | {median([r.p99_ms for r in runs]):.1f} "
            f"| {target.throughput_errors} | {target.locked_lines['throughput']} "
            f"| {target.cpu_ms_per_request:.2f} | {target.cpu_share_of(bare):.1%} |"
        )
    return rows


def fixed_rate_table(targets: list[TargetResult]) -> list[str]:
    rows = [
        "| target | p50 ms (median) | p99 ms (median) | p99 ms runs | max ms | failed / sent | db locked |",
        "|---|---:|---:|---|---:|---:|---:|",
    ]
    for target in targets:
        runs = target.fixed_rate
        rows.append(
            f"| {target.name} | {median([r.p50_ms for r in runs]):.1f} | {median([r.p99_ms for r in runs]):.1f} "
            f"| {' / '.join(f'{r.p99_ms:.1f}' for r in runs)} | {max(r.max_ms for r in runs):.1f} "
            f"| {sum(r.status_errors + r.socket_errors for r in runs)} / {sum(r.sent for r in runs)} | "
            f"{target.locked_lines['fixed rate']} |"
        )
    return rows


def target_verdicts(bare: TargetResult, sqlite: TargetResult, postgres: TargetResult, writers: int) -> list[str]:
    """Issue 2's three targets, each met or missed, with the measured figure."""
    share = postgres.paired_share_of(bare)
    p99 = median([run.p99_ms for run in postgres.fixed_rate])
    locked, failed = sqlite.locked_lines["throughput"], sqlite.throughput_errors

    def verdict(met: bool) -> str:
        return "**met**" if met else "**MISSED**"

    return [
        f"- PostgreSQL throughput ≥ {MIN_POSTGRES_SHARE_OF_BARE:.0%} of bare: {share:.1%} paired by round "
        f"({postgres.share_of(bare):.1%} as medians, "
        f"{postgres.requests_per_second:,.0f} vs {bare.requests_per_second:,.0f} req/s; "
        f"{postgres.cpu_share_of(bare):.1%} by server CPU per request) — "
        f"{verdict(share >= MIN_POSTGRES_SHARE_OF_BARE)}",
        f"- PostgreSQL p99 < {MAX_POSTGRES_P99_MS:.0f} ms at the fixed rate: {p99:.1f} ms — "
        f"{verdict(p99 < MAX_POSTGRES_P99_MS)}",
        f'- SQLite, {writers} concurrent writers: {locked} "database is locked" lines in the server log, '
        f"{failed} failed requests — {verdict(locked == 0 and failed == 0)}",
    ]


def record(section: str, bench: str = "bench.put_evidence", heading: str = HEADING) -> None:
    """Write a bench's section into RESULTS.md, replacing the one its previous run wrote.

    The section sits between two markers named after the bench, under ``heading``; notes
    written by hand after the end marker are kept.
    """
    begin, end = f"<!-- {bench}:begin -->", f"<!-- {bench}:end -->"
    text = RESULTS.read_text() if RESULTS.exists() else "# Bench results\n"
    block = f"{begin}\n{section.rstrip()}\n{end}"
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end) :]
    else:
        text = f"{text.rstrip()}\n\n{heading}\n\n{block}\n"
    RESULTS.write_text(text)


def publish(section: str, record_it: bool, bench: str = "bench.put_evidence", heading: str = HEADING) -> None:
    """Print a bench's section; with ``record_it`` (``--record``) also write it into RESULTS.md."""
    print(section)
    if record_it:
        record(section, bench, heading)
        print(f"\nRecorded in {RESULTS}", file=sys.stderr)
