import os

from piccolo.conf.apps import AppConfig

from cpl.organisations.tables import Invitation, Membership, Organisation, SupervisionLink

APP_CONFIG = AppConfig(
    app_name="organisations",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Organisation, Membership, Invitation, SupervisionLink],
    migration_dependencies=["cpl.accounts.piccolo_app"],
    commands=[],
)
