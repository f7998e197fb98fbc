"""Waking a background job of this server process from a request that queued work for it.

Jobs (the export runner, the privacy job) keep their work in the database and look for it every
so often on every node; a request that has just queued some wakes the job of the process it
reached, so the work starts at once rather than at the next look. An app built without that job
(a test's, a tool's) has nothing to wake: the work waits for a process that has one.
"""

from __future__ import annotations

from litestar import Request


def wake_job(request: Request, name: str) -> None:
    """Wake the job kept as ``app.state.<name>`` (an object with ``notify()``), if this app runs one."""
    job = getattr(request.app.state, name, None)
    if job is not None:
        job.notify()
