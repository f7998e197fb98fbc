import os

from piccolo.conf.apps import AppConfig

from cpl.accounts.tables import Account, AuthSession, LoginFailure

APP_CONFIG = AppConfig(
    app_name="accounts",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Account, AuthSession, LoginFailure],
    migration_dependencies=[],
    commands=[],
)
