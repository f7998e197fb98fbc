import os

from piccolo.conf.apps import AppConfig

from cpl.reviews.tables import Review, ReviewEvent, Verification

APP_CONFIG = AppConfig(
    app_name="reviews",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Review, ReviewEvent, Verification],
    migration_dependencies=["cpl.accounts.piccolo_app", "cpl.evidence.piccolo_app", "cpl.organisations.piccolo_app"],
    commands=[],
)
