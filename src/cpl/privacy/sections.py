"""The sections of a person's data export, contributed by the domains that hold the data.

``create_app`` builds one :class:`DataSections` and registers, for each domain, a function
``async (account_id) -> list[dict]`` giving the records it holds about the person (and, for
files, a function giving ``(name in the ZIP, object key)`` pairs). The export job only walks
the registry: it never imports the domains, and a new domain holding personal data is one
``register`` line in ``cpl.app.data_sections``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

Records = Callable[[UUID], Awaitable[list[dict[str, Any]]]]
Files = Callable[[UUID], Awaitable[list[tuple[str, str]]]]


class DataSections:
    """Section name → how to collect it, in the order registered (the order of the HTML index)."""

    def __init__(self) -> None:
        self._records: dict[str, Records] = {}
        self._files: list[Files] = []

    def register(self, name: str, collect: Records) -> None:
        if name in self._records:
            raise ValueError(f"section {name!r} is registered twice")
        self._records[name] = collect

    def register_files(self, collect: Files) -> None:
        self._files.append(collect)

    async def records(self, account_id: UUID) -> dict[str, list[dict[str, Any]]]:
        return {name: await collect(account_id) for name, collect in self._records.items()}

    async def files(self, account_id: UUID) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        for collect in self._files:
            found += await collect(account_id)
        return found
