"""Duration settings take ``0``, plain seconds or ISO 8601; anything else stops ``cpl`` with one
line naming the setting and what it accepts, not a traceback."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest

from cpl.settings import Settings

COMMAND = [sys.executable, "-m", "cpl.cli"]


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("0", timedelta(0)),
        ("300", timedelta(minutes=5)),
        ("2.5", timedelta(seconds=2.5)),
        ("PT5M", timedelta(minutes=5)),
        ("P14D", timedelta(days=14)),
    ],
)
def test_a_duration_is_zero_seconds_or_iso_8601(monkeypatch, written: str, meant: timedelta) -> None:
    monkeypatch.setenv("CPL_STORAGE_MAINTENANCE_INTERVAL", written)
    assert Settings().storage_maintenance_interval == meant


def _cpl(tmp_path, *arguments: str, **variables: str) -> subprocess.CompletedProcess:
    env = {"CPL_DATA_DIR": str(tmp_path), "PATH": "", **variables}
    return subprocess.run([*COMMAND, *arguments], env=env, capture_output=True, text=True, timeout=120)


def test_cpl_runs_with_durations_in_seconds(tmp_path) -> None:
    ran = _cpl(tmp_path, "migrate", CPL_STORAGE_MAINTENANCE_INTERVAL="0", CPL_EXPORT_STALE_AFTER="30")
    assert ran.returncode == 0, ran.stderr


@pytest.mark.parametrize("written", ["soon", "-5", "5 minutes", "P"])
def test_cpl_serve_refuses_a_bad_duration_in_one_line(tmp_path, written: str) -> None:
    refused = _cpl(tmp_path, "serve", CPL_EXPORT_STALE_AFTER=written)
    assert refused.returncode == 2
    assert "Traceback" not in refused.stderr
    assert refused.stderr.strip().splitlines() == [
        f"cpl: CPL_EXPORT_STALE_AFTER: {written!r} is not a duration: 0, a number of seconds (300) "
        "or ISO 8601 (PT5M, P14D)"
    ]
