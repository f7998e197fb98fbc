import os

from piccolo.conf.apps import AppConfig

from cpl.sharing.tables import Share, SharedEntry

APP_CONFIG = AppConfig(
    app_name="sharing",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Share, SharedEntry],
    migration_dependencies=["cpl.accounts.piccolo_app", "cpl.evidence.piccolo_app", "cpl.organisations.piccolo_app"],
    commands=[],
)
