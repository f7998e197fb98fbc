"""Appends from two processes at once lose no event and keep one chain (PostgreSQL's advisory
lock, SQLite's write lock)."""

from __future__ import annotations

import asyncio
import sys

from cpl.audit.repository import filtered
from tests.audit.helpers import cpl, environment

APPENDER = """
import asyncio, sys
from cpl import db
from cpl.audit import AuditLog
from cpl.settings import Settings

async def main(count):
    settings = Settings()
    engine = db.build_engine(settings)
    db.bind_engine(engine)
    await db.open_database(engine, settings)
    try:
        log = AuditLog(settings)
        for number in range(count):
            await log.append("test.appended", actor=None, object=f"{sys.argv[1]}:{number}")
    finally:
        await db.close_database(engine)

asyncio.run(main(int(sys.argv[2])))
"""


async def _appender(settings, name: str, count: int) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-c", APPENDER, name, str(count), env=environment(settings), stderr=asyncio.subprocess.PIPE
    )


async def test_two_processes_appending_at_once_make_one_unbroken_chain(client, settings):
    processes = [await _appender(settings, name, 40) for name in ("a", "b")]
    results = await asyncio.gather(*(process.communicate() for process in processes))
    assert [process.returncode for process in processes] == [0, 0], [err.decode() for _, err in results]
    events = await filtered(action="test.appended", limit=1000)
    assert len(events) == 80
    assert sorted(event["seq"] for event in events) == list(range(1, 81))
    code, out, err = await cpl(settings, "audit", "verify")
    assert code == 0 and out.startswith("OK: events 1–80 "), (out, err)
