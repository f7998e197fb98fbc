from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON, UUID
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-03T07:19:01:331138"
VERSION = "1.38.0"
DESCRIPTION = "Credential subject on accounts, export options (issue 17)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="cpl", description=DESCRIPTION)

    manager.add_column(
        table_class_name="Account",
        tablename="account",
        column_name="credential_subject",
        db_column_name="credential_subject",
        column_class_name="UUID",
        column_class=UUID,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="Export",
        tablename="export",
        column_name="options",
        db_column_name="options",
        column_class_name="JSON",
        column_class=JSON,
        params={
            "default": "{}",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
