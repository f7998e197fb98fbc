"""A line, still to be judged, for every worker sharing with an organisation when this release
arrives; from then on events keep the lines (``cpl.workforce.marking``). The first read of each
workforce, or the scheduled refresh, judges them."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-04T10:00:02:000000"
VERSION = "1.38.0"
DESCRIPTION = "Workforce lines for the shares in force with organisations, to be judged"

BACKFILL = (
    "INSERT INTO workforce_line (organisation, worker, display_name, marked, judged, status_rank, shared_entries, "
    "registrations) SELECT s.organisation, s.owner, '', 1, 0, 4, 0, '[]' FROM evidence_share s "
    "WHERE s.supervisor IS NULL AND s.ended_at IS NULL "
    "AND NOT EXISTS (SELECT 1 FROM workforce_line l WHERE l.organisation = s.organisation AND l.worker = s.owner) "
    "GROUP BY s.organisation, s.owner"
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="cpl", description=DESCRIPTION)

    async def backfill() -> None:
        await engine_finder().run_ddl(BACKFILL)

    manager.add_raw(backfill)
    return manager
