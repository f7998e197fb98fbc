"""What a database's schema is, read back from the database itself (SQLite or PostgreSQL).

Tables, their columns (type, nullability, default, primary key), constraints (foreign keys;
on PostgreSQL also primary keys and unique constraints), and indexes
(columns, uniqueness, predicate), in plain data that compares with ``==`` and shows a
readable difference when it fails. Piccolo's own ``migration`` table is left out.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import asyncpg

Schema = dict[str, dict[str, Any]]


async def read_schema(url: str) -> Schema:
    if url.startswith("sqlite:///"):
        return _read_sqlite(url.removeprefix("sqlite://"))
    connection = await asyncpg.connect(url)
    try:
        return await _read_postgres(connection)
    finally:
        await connection.close()


def _read_sqlite(path: str) -> Schema:
    connection = sqlite3.connect(path)
    try:
        tables = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'migration'"
        )
        names = [row[0] for row in tables]
        return {name: _sqlite_table(connection, name) for name in names}
    finally:
        connection.close()


def _sqlite_table(connection: sqlite3.Connection, table: str) -> dict[str, Any]:
    columns = {
        name: {"type": kind, "not_null": bool(not_null), "default": default, "primary_key": bool(pk)}
        for _, name, kind, not_null, default, pk in connection.execute(f'PRAGMA table_info("{table}")')
    }
    constraints = {
        (row[3], row[2], row[4], row[5], row[6]) for row in connection.execute(f'PRAGMA foreign_key_list("{table}")')
    }
    indexes = {}
    for _, name, unique, origin, partial in connection.execute(f'PRAGMA index_list("{table}")'):
        if origin == "pk":
            continue
        indexed = tuple(row[2] for row in connection.execute(f'PRAGMA index_info("{name}")'))
        key = name if origin == "c" else f"unique constraint on {indexed}"
        predicate = _sqlite_predicate(connection, name) if partial else ""
        indexes[key] = {"columns": indexed, "unique": bool(unique), "where": predicate}
    return {"columns": columns, "constraints": constraints, "indexes": indexes}


def _sqlite_predicate(connection: sqlite3.Connection, index: str) -> str:
    (sql,) = connection.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (index,)).fetchone()
    return sql.split(" WHERE ", 1)[1].strip()


async def _read_postgres(connection: asyncpg.Connection) -> Schema:
    schema: Schema = {}
    for row in await connection.fetch(
        "SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, column_default "
        "FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'migration'"
    ):
        table = schema.setdefault(row["table_name"], {"columns": {}, "constraints": set(), "indexes": {}})
        table["columns"][row["column_name"]] = {
            "type": row["data_type"],
            "length": row["character_maximum_length"],
            "not_null": row["is_nullable"] == "NO",
            "default": row["column_default"],
        }
    for row in await connection.fetch(
        "SELECT conrelid::regclass::text AS table_name, pg_get_constraintdef(oid) AS definition "
        "FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'migration'"
    ):
        schema[row["table_name"]]["constraints"].add(row["definition"])
    for row in await connection.fetch(
        "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'migration'"
    ):
        schema[row["tablename"]]["indexes"][row["indexname"]] = row["indexdef"]
    return schema
