"""The folders under ``data_dir`` where work in progress keeps files, and their clean-up after a crash.

- ``spool/``: an upload or import being received and checked (:mod:`cpl.attachments.receive`);
- ``exports-work/<job>/``: an export being made (:mod:`cpl.exports.jobs`).

Both are emptied by the work itself when it ends, even when it fails; only a process killed
mid-way leaves files behind. A file still being written is touched as its bytes arrive, so
one untouched for ``crash_leftover_age`` (an hour by default) belongs to no live work, on
this node or another sharing the folder, and may be deleted.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

SPOOL = "spool"
EXPORT_WORK = "exports-work"


def _last_touched(path: Path) -> float:
    if path.is_dir():
        return max([path.stat().st_mtime, *(child.stat().st_mtime for child in path.rglob("*"))])
    return path.stat().st_mtime


def remove_abandoned_work(data_dir: Path, older_than: datetime) -> int:
    """Delete what crashed work left in the work folders, untouched since ``older_than``. Blocking."""
    cutoff, removed = older_than.timestamp(), 0
    for folder in (data_dir / SPOOL, data_dir / EXPORT_WORK):
        if not folder.is_dir():
            continue
        for item in folder.iterdir():
            try:
                if _last_touched(item) >= cutoff:
                    continue
                if item.is_dir():
                    shutil.rmtree(item, ignore_errors=True)
                else:
                    item.unlink(missing_ok=True)
            except FileNotFoundError:  # its work ended and removed it meanwhile
                continue
            removed += 1
    return removed
