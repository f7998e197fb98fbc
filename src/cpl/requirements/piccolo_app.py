import os

from piccolo.conf.apps import AppConfig

from cpl.requirements.tables import GapExplanation, PeerDiscussion, Registration

APP_CONFIG = AppConfig(
    app_name="requirements",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Registration, GapExplanation, PeerDiscussion],
    migration_dependencies=["cpl.accounts.piccolo_app", "cpl.evidence.piccolo_app"],
    commands=[],
)
