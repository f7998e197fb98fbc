import os

from piccolo.conf.apps import AppConfig

from cpl.attachments.tables import Attachment, AttachmentLink, StorageGarbage, UploadSlot

APP_CONFIG = AppConfig(
    app_name="attachments",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Attachment, AttachmentLink, UploadSlot, StorageGarbage],
    migration_dependencies=["cpl.accounts.piccolo_app", "cpl.evidence.piccolo_app"],
    commands=[],
)
