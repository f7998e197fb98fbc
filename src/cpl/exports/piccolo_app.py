from pathlib import Path

from piccolo.conf.apps import AppConfig

from cpl.exports.tables import Export, ExportAccess, ExportShare

APP_CONFIG = AppConfig(
    app_name="exports",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Export, ExportShare, ExportAccess],
    migration_dependencies=["cpl.accounts.piccolo_app"],
    commands=[],
)
