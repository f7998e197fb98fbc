import os

from piccolo.conf.apps import AppConfig

from cpl.competences.tables import CompetenceAssociation, CompetenceFramework, CompetenceItem, CompetenceLink

APP_CONFIG = AppConfig(
    app_name="competences",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[CompetenceFramework, CompetenceItem, CompetenceAssociation, CompetenceLink],
    migration_dependencies=["cpl.accounts.piccolo_app", "cpl.evidence.piccolo_app"],
    commands=[],
)
