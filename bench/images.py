"""Image work per upload (issue 14): a 9,400×9,400 image, just under the pixel limit, before and after the budget.

    .venv/bin/python -m bench.images [--runs 3]

Two images of 9,400×9,400 pixels (88.4 MP, under ``image_max_pixels``' 89.5 MP) are made once:
a PNG and a JPEG of a smooth gradient (each a few MB, well under the 25 MB upload limit). Each
goes through the image pipeline (:func:`cpl.attachments.images.sanitize_image`: decode, EXIF
orientation, sRGB, re-encode, thumbnail) in a fresh process, which reports its wall time and
peak RSS (``ru_maxrss``), with

- **unbounded** (baseline, measured in the same run): ``image_max_decoded_bytes`` so large it
  never applies, which is what the code did before the budget;
- **budget**: the default ``image_max_decoded_bytes`` (128 MiB): the PNG is refused before
  decoding, the JPEG decoded at 1/4 size by the JPEG decoder itself (``draft``) and stored so.

An idle process that only imports the pipeline gives the peak RSS every process starts from.
Medians of ``--runs`` processes per case; the machine is shared, so read the ratios.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from cpl.settings import Settings

SIDE = 9_400
UNBOUNDED = 2**62

_MAKE = f"""
import sys
from PIL import Image
SIDE = {SIDE}
image = Image.linear_gradient("L").resize((SIDE, SIDE)).convert("RGB")
image.save(sys.argv[1] + "/big.png", "PNG")
image.save(sys.argv[1] + "/big.jpg", "JPEG", quality=90)
"""

_RUN = """
import json, resource, sys, time
from pathlib import Path
from cpl.attachments.images import sanitize_image
from cpl.attachments.sniff import JPEG, PNG
from cpl.errors import InvalidInput
source, budget = Path(sys.argv[1]), int(sys.argv[2])
outcome, started = "stored", time.perf_counter()
if budget:
    try:
        clean = sanitize_image(source, PNG if source.suffix == ".png" else JPEG, source.parent, 89_478_485, budget)
        outcome = f"stored {clean.width}x{clean.height}"
        clean.path.unlink(); clean.thumbnail.unlink()
    except InvalidInput:
        outcome = "refused (422)"
seconds = time.perf_counter() - started
peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mib": peak_mib, "outcome": outcome}))
"""


def _measure(source: Path, budget: int) -> dict:
    done = subprocess.run([sys.executable, "-c", _RUN, str(source), str(budget)], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    budget = Settings().image_max_decoded_bytes
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-c", _MAKE, folder], check=True)
        sizes = {name: (Path(folder) / name).stat().st_size for name in ("big.png", "big.jpg")}
        idle = [_measure(Path(folder) / "big.png", 0) for _ in range(args.runs)]
        print(f"Machine: {platform.platform()}, Python {platform.python_version()}; {args.runs} runs per case\n")
        print(f"Idle process (imports only): peak RSS {statistics.median(r['peak_mib'] for r in idle):.0f} MiB\n")
        print("| image | file | setting | outcome | seconds (median) | runs | peak RSS MiB (median) |")
        print("|---|---:|---|---|---:|---|---:|")
        for name in ("big.png", "big.jpg"):
            for label, limit in (("unbounded (before)", UNBOUNDED), (f"budget {budget // 2**20} MiB (after)", budget)):
                runs = [_measure(Path(folder) / name, limit) for _ in range(args.runs)]
                seconds = [r["seconds"] for r in runs]
                peak = statistics.median(r["peak_mib"] for r in runs)
                print(
                    f"| {SIDE:,}×{SIDE:,} {name.split('.')[1].upper()} | {sizes[name] / 2**20:.1f} MB | {label} "
                    f"| {runs[0]['outcome']} | {statistics.median(seconds):.2f} | "
                    f"{' / '.join(f'{s:.2f}' for s in seconds)} | {peak:,.0f} |"
                )


if __name__ == "__main__":
    main()
