"""The shared kernel: what every domain uses and no domain owns.

The clock, the authenticated caller, base request and response schemas, field types,
keyset-pagination cursors, and the in-transaction event bus. The kernel imports no domain
(an import-linter contract in ``pyproject.toml`` keeps it so); see ``src/cpl/README.md``.
"""
