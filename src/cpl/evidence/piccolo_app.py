import os

from piccolo.conf.apps import AppConfig

from cpl.evidence.tables import EvidenceChangeCounter, EvidenceEntry, IdempotencyRecord

APP_CONFIG = AppConfig(
    app_name="evidence",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[EvidenceEntry, EvidenceChangeCounter, IdempotencyRecord],
    migration_dependencies=["cpl.accounts.piccolo_app"],
    commands=[],
)
