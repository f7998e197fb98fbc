"""Response bodies of the audit routes."""

from __future__ import annotations

from cpl.kernel.schemas import Out


class CheckpointOut(Out):
    #: The sequence number of the last event covered.
    seq: int
    #: That event's hash (hex SHA-256), the chain head.
    head: str
    signed_at: str
    #: Compact JWS (EdDSA) over ``{"head", "seq", "signed_at"}``; its ``kid`` is a key of ``/.well-known/jwks.json``.
    jws: str


class CheckpointPage(Out):
    items: list[CheckpointOut]
    next_cursor: str | None


class AccessOut(Out):
    """One look at my record by someone else."""

    at: str
    #: What they did: ``entry.viewed``, ``entry_list.viewed``, ``team.viewed``, ``review.viewed``…
    action: str
    #: What they looked at, ``kind:id`` (``entry:…``), or ``""``.
    object: str
    #: Their name as their account shows it now (``""`` once their account is erased).
    name: str
    #: The organisation in which they saw it (``""`` when not through an organisation).
    organisation: str
    #: In which capacity: ``supervisor``, ``admin``, ``auditor``, ``reviewer``…
    role: str


class AccessPage(Out):
    items: list[AccessOut]
    next_cursor: str | None
