"""Plain SQL on a database named by its URL (SQLite or PostgreSQL), outside the service."""

from __future__ import annotations

import sqlite3

import asyncpg


def _sqlite_path(url: str) -> str | None:
    return url.removeprefix("sqlite://") if url.startswith("sqlite:///") else None


async def fetch(url: str, query: str) -> list[tuple]:
    if path := _sqlite_path(url):
        connection = sqlite3.connect(path)
        try:
            return connection.execute(query).fetchall()
        finally:
            connection.close()
    connection = await asyncpg.connect(url)
    try:
        return [tuple(row) for row in await connection.fetch(query)]
    finally:
        await connection.close()


async def execute(url: str, statements: str) -> None:
    """Run one or more statements, committing them."""
    if path := _sqlite_path(url):
        connection = sqlite3.connect(path)
        try:
            connection.executescript(statements)
        finally:
            connection.close()
        return
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statements)
    finally:
        await connection.close()
