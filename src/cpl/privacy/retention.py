"""Retention: what cpl deletes once it has been kept long enough (``cpl retention run``).

Each purge is safe to run again and in several processes at once. The periods are settings:

- deletion tombstones after ``tombstone_retention`` (180 days): a device that has not synced
  since is answered 410 by ``GET /v1/sync`` and syncs again from zero;
- notifications after ``notification_retention`` (365 days);
- "download my data" ZIPs at the end of their download window (``data_export_ttl``, 7 days);
- audit events after ``audit_retention`` (6 years), keeping the chain verifiable from the
  oldest kept checkpoint (:func:`cpl.audit.purge_audit_events_older_than`);
- the record of a reminder sent, 30 days after the day it was about (a due date, an audit
  request's deadline): it can no longer be sent again (:mod:`cpl.reminders.retention`);
- then the objects queued for deletion are deleted from the store.

The scheduler (``cpl.scheduling``) runs :func:`run_retention` once across the server processes,
every ``retention_interval``.
"""

from __future__ import annotations

from cpl.attachments.cleanup import sweep_garbage
from cpl.audit import purge_audit_events_older_than
from cpl.evidence.repository import purge_tombstones
from cpl.kernel import clock
from cpl.notifications import purge_older_than
from cpl.privacy.data_export import expire_data_exports
from cpl.reminders import purge_past_reminders
from cpl.settings import Settings
from cpl.storage import Storage


async def run_retention(settings: Settings, storage: Storage) -> dict[str, int]:
    """Every purge once; returns how many rows (or files) each removed."""
    now = clock.now()
    done = {
        "tombstones": await purge_tombstones(now - settings.tombstone_retention),
        "notifications": await purge_older_than(now - settings.notification_retention),
        "data_exports": await expire_data_exports(now),
        "audit_events": await purge_audit_events_older_than(now - settings.audit_retention),
        "reminders_sent": await purge_past_reminders(now.date()),
    }
    done["stored_objects"] = await sweep_garbage(storage)
    return done
