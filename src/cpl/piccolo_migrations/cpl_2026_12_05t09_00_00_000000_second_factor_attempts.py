"""Second-factor code attempts are counted by the shared throttle (``cpl.throttling``, subject
``second-factor:<account>``) like every other attempt; the authenticator's own counters go."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-05T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Second factor: attempts counted by cpl.throttling (drop second_factor.attempts, attempts_since)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="cpl", description=DESCRIPTION)
    for column in ("attempts", "attempts_since"):
        manager.drop_column(table_class_name="SecondFactor", tablename="second_factor", column_name=column)
    return manager
