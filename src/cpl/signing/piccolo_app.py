import os

from piccolo.conf.apps import AppConfig

from cpl.signing.tables import IssuerKey

APP_CONFIG = AppConfig(
    app_name="signing",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[IssuerKey],
    migration_dependencies=[],
    commands=[],
)
