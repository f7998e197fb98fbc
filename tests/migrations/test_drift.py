"""The table classes and the migration chain describe the same schema, on both databases.

Two checks, both needed: Piccolo's own auto-migration diff (what ``piccolo migrations new
cpl --auto`` would write) sees column options; reading back a migrated database sees what
the migrations really did, including the indexes written by hand.
"""

from __future__ import annotations

from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.new import AutoMigrationManager
from piccolo.table import create_db_tables

from cpl import db
from cpl.piccolo_app import APP_CONFIG
from cpl.settings import Settings
from tests.migrations.schema import Schema, read_schema


async def test_piccolo_finds_nothing_to_migrate():
    changes = await AutoMigrationManager(auto_input="n").get_alter_statements(app_config=APP_CONFIG)
    assert [statement for change in changes for statement in change.statements] == []


async def test_a_migrated_database_has_the_schema_the_table_classes_declare(settings: Settings, empty_database_url):
    migrated = await read_schema(settings.resolved_database_url)
    await _create_from_table_classes(empty_database_url)
    declared = await read_schema(empty_database_url)
    for index in _indexes_written_by_hand():
        found = migrated[index.table]["indexes"].pop(index.name, None)
        assert found is not None, f"index {index.name} is missing"
        assert _describes(found, index), f"index {index.name} is {found}"
    assert _differences(migrated, declared) == []


async def _create_from_table_classes(url: str) -> None:
    settings = Settings(database_url=url)
    engine = db.build_engine(settings)
    await db.open_database(engine, settings)
    try:
        db.bind_engine(engine)
        await create_db_tables(*APP_CONFIG.table_classes)
    finally:
        await db.close_database(engine)


def _indexes_written_by_hand() -> list:
    modules = BaseMigrationManager().get_migration_modules(APP_CONFIG.resolved_migrations_folder_path)
    return [index for module in modules.values() for index in getattr(module, "INDEXES", [])]


def _describes(found: dict | str, index) -> bool:
    if isinstance(found, str):  # PostgreSQL's own definition of the index, quoting keywords such as "position"
        found = found.replace('"', "")
        unique = found.startswith("CREATE UNIQUE INDEX")
        return unique == index.unique and f"({index.columns})" in found and (index.where in found)
    columns = tuple(column.strip() for column in index.columns.split(","))
    return found == {"columns": columns, "unique": index.unique, "where": index.where}


def _differences(migrated: Schema, declared: Schema) -> list[str]:
    """Every way the migrated schema differs from the declared one, one line each."""
    differences = []
    for table in sorted(migrated.keys() | declared.keys()):
        if table not in migrated or table not in declared:
            differences.append(
                f"table {table}: only in {'the migrations' if table in migrated else 'the table classes'}"
            )
            continue
        for part in ("columns", "indexes"):
            found, wanted = migrated[table][part], declared[table][part]
            for name in sorted(found.keys() | wanted.keys()):
                if found.get(name) != wanted.get(name):
                    differences.append(
                        f"{table} {part} {name}: migrated {found.get(name)}, declared {wanted.get(name)}"
                    )
        constraints = migrated[table]["constraints"] ^ declared[table]["constraints"]
        differences += [f"{table} constraint only on one side: {constraint}" for constraint in sorted(constraints)]
    return differences
