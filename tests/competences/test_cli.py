"""``cpl frameworks import FILE``: the operator's command, run as a real process on the test database."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from tests.competences.helpers import CASE_SAMPLES, frameworks

CPL = str(Path(sys.executable).parent / "cpl")


async def _cpl(settings, *args: str) -> tuple[int, str, str]:
    environment = {name: value for name, value in os.environ.items() if not name.startswith("CPL_")}
    environment["CPL_DATABASE_URL"] = settings.resolved_database_url
    process = await asyncio.create_subprocess_exec(
        CPL, *args, env=environment, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    return process.returncode, out.decode(), err.decode()


async def test_import_a_case_package_then_again(client, settings, worker):
    path = next(path for path in CASE_SAMPLES if path.name == "opensalt-sample-framework.json")
    code, out, _ = await _cpl(settings, "frameworks", "import", str(path))
    assert code == 0 and out.startswith("Imported What Standards Could Be")
    assert "16 items, 39 associations" in out
    code, out, _ = await _cpl(settings, "frameworks", "import", str(path))
    assert code == 0 and out.startswith("Unchanged")
    assert [f["title"] for f in await frameworks(client, worker) if not f["built_in"]] == ["What Standards Could Be"]


async def test_import_a_csv_file_with_its_title(client, settings, worker, tmp_path):
    path = tmp_path / "induction.csv"
    path.write_text("code,title,statement,parent_code\nI.1,Welcome,Day one,\nI.1.1,Fire safety,,I.1\n")
    code, out, err = await _cpl(
        settings, "frameworks", "import", str(path), "--title", "Induction", "--edition", "2025"
    )
    assert code == 0, err
    assert "Induction (edition 2025" in out and "2 items" in out


async def test_a_bad_file_is_refused_with_its_problems(client, settings, worker, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("code,title,statement,parent_code\nA,Alpha,,B\nB,Beta,,A\n")
    code, _, err = await _cpl(settings, "frameworks", "import", str(path), "--title", "Broken")
    assert code == 1
    assert "Not imported" in err and "line 2" in err and "cycle" in err
    missing = await _cpl(settings, "frameworks", "import", str(tmp_path / "absent.json"))
    assert missing[0] == 1 and "Not imported" in missing[2]
    assert not [f for f in await frameworks(client, worker) if not f["built_in"]]
