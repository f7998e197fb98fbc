"""Finding a piece of text anywhere in a test's database, read from outside the app."""

from __future__ import annotations

import sqlite3
from urllib.parse import urlsplit

import asyncpg

from cpl.settings import Settings


async def columns_holding(settings: Settings, text: str) -> list[str]:
    """Every ``table.column`` of the database where some row's value, read as text, contains ``text``
    (ignoring case). Every column of every table is read, whatever its type (JSON, text, …)."""
    url = settings.resolved_database_url
    if settings.uses_postgres:
        return await _postgres_columns_holding(url, text)
    return _sqlite_columns_holding(urlsplit(url).path, text)


def _sqlite_columns_holding(path: str, text: str) -> list[str]:
    found = []
    with sqlite3.connect(path) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for column in [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]:
                query = f'SELECT 1 FROM "{table}" WHERE instr(lower(CAST("{column}" AS TEXT)), ?) > 0 LIMIT 1'
                if connection.execute(query, (text.lower(),)).fetchone():
                    found.append(f"{table}.{column}")
    return found


async def _postgres_columns_holding(url: str, text: str) -> list[str]:
    found = []
    connection = await asyncpg.connect(url)
    try:
        columns = await connection.fetch(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
        )
        for row in columns:
            table, column = row["table_name"], row["column_name"]
            query = f'SELECT 1 FROM "{table}" WHERE strpos(lower("{column}"::text), $1) > 0 LIMIT 1'
            if await connection.fetchval(query, text.lower()):
                found.append(f"{table}.{column}")
    finally:
        await connection.close()
    return found
