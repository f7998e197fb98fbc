import os

from piccolo.conf.apps import AppConfig

from cpl.notifications.tables import Notification

APP_CONFIG = AppConfig(
    app_name="notifications",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Notification],
    migration_dependencies=["cpl.accounts.piccolo_app"],
    commands=[],
)
