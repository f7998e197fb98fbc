"""The PDF export before and after a change, measured in the same run (issue 17, item 6).

Run: ``.venv/bin/python -m bench.pdf_export [--entries 1000] [--rounds 3] [--baseline a09bc6f]``.

The baseline revision is checked out into a temporary git worktree; each round runs
``bench.pdf_render`` (render and sign N entries, in a fresh process) once with the baseline's
code and once with this tree's, alternately, so both see the same load on a shared machine.
Reported per side: the median wall time of render + sign (as ``bench.pdf_render`` prints it),
the median CPU time of the whole process (imports and test data included, the same for both
sides), and the ratios.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_TIMES = re.compile(r"(\d+) pages: render ([\d.]+) s, sign ([\d.]+) s")


@dataclass
class Side:
    name: str
    tree: Path
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    pages: int = 0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(side: Side, entries: int) -> None:
    env = {**os.environ, "PYTHONPATH": f"{side.tree / 'src'}{os.pathsep}{side.tree}"}
    before = _children_cpu()
    done = subprocess.run(
        [sys.executable, "-m", "bench.pdf_render", str(entries)],
        cwd=side.tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    side.cpu.append(_children_cpu() - before)
    match = _TIMES.search(done.stdout)
    if match is None:
        raise RuntimeError(f"{side.name}: unexpected output {done.stdout!r} {done.stderr!r}")
    side.pages = int(match.group(1))
    side.wall.append(float(match.group(2)) + float(match.group(3)))
    print(f"  {side.name}: {done.stdout.strip()} (process CPU {side.cpu[-1]:.1f} s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pdf_export")
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", default="a09bc6f", help="the git revision to compare with")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="cpl-pdf-baseline-") as folder:
        baseline_tree = Path(folder) / "tree"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(baseline_tree), args.baseline],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            sides = [Side(f"baseline {args.baseline}", baseline_tree), Side("this tree", ROOT)]
            for round_number in range(1, args.rounds + 1):
                print(f"round {round_number} of {args.rounds}", flush=True)
                for side in sides:
                    _run(side, args.entries)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(baseline_tree)], cwd=ROOT, check=False)
    before, after = sides
    print(
        f"{args.entries} entries, median of {args.rounds} rounds; 1-minute load average before and after "
        f"(2.0 = both cores busy): {load_before:.1f} and {os.getloadavg()[0]:.1f}"
    )
    for side in sides:
        print(
            f"  {side.name}: {side.pages} pages, render + sign {statistics.median(side.wall):.1f} s wall, "
            f"process {statistics.median(side.cpu):.1f} s CPU"
        )
    wall_ratio = statistics.median(before.wall) / statistics.median(after.wall)
    cpu_ratio = statistics.median(before.cpu) / statistics.median(after.cpu)
    print(f"  this tree is {wall_ratio:.2f}× as fast in wall time, {cpu_ratio:.2f}× in CPU time")


if __name__ == "__main__":
    main()
