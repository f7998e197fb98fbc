"""The notifications not yet pushed, found without reading the table (the push sweep runs every
``push_sweep_interval``), built outside a transaction (see :mod:`cpl.migration_steps`)."""

from cpl.migration_steps import Index, index_migration

ID = "2026-12-04T14:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Notifications not yet pushed (issue 19)"

INDEXES = [
    #: Few rows: a notification is pushed moments after it is made.
    Index("notification_unpushed", "notification", "created_at", where="pushed_at IS NULL"),
]


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
