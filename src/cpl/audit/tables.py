"""The audit log and its signed checkpoints (issue 16): append-only, hash-chained."""

from __future__ import annotations

from piccolo.columns import UUID, BigInt, Text, Timestamptz, Varchar
from piccolo.table import Table


class AuditEvent(Table, tablename="audit_event"):
    """One security-relevant event. Rows are appended, never changed, except that erasing an
    account empties ``actor`` / ``subject`` (the hashed pseudonyms stay: see :mod:`cpl.audit.chain`).

    No foreign keys: an event outlives the account, entry or share it names.
    """

    #: Position in the chain, 1, 2, 3… without gaps (the first kept one after a purge may be larger).
    seq = BigInt(primary_key=True)
    occurred_at = Timestamptz()
    #: What happened, ``domain.verb`` (``signin.failed``, ``entry.viewed``, ``share.granted``).
    action = Varchar(length=64, index=True)
    #: ``success``, ``failure`` or ``refused``.
    outcome = Varchar(length=16)
    #: Who acted (``NULL`` for an unknown caller, or once the account is erased).
    actor = UUID(null=True, default=None, index=True)
    #: Keyed pseudonym of ``actor`` (HMAC-SHA-256 under the service secret); empty for nobody.
    actor_pseudonym = Varchar(length=64)
    #: Whose record the event is about.
    subject = UUID(null=True, default=None, index=True)
    subject_pseudonym = Varchar(length=64)
    #: What was acted on, ``kind:id`` (``entry:…``, ``share:…``); never a title or other content.
    object = Varchar(length=200)
    request_id = Varchar(length=64)
    #: Browser family and operating system (``Firefox/Linux``), never the full user-agent.
    user_agent = Varchar(length=64)
    #: The client's network: the /24 of an IPv4 address, the /48 of an IPv6 one.
    network = Varchar(length=64)
    #: More about the event as canonical JSON of text values (role, organisation, share kind).
    detail = Text()
    previous_hash = Varchar(length=64)
    #: SHA-256 of the event's canonical encoding, which includes ``previous_hash``.
    hash = Varchar(length=64)


class AuditCheckpoint(Table, tablename="audit_checkpoint"):
    """The chain head at one sequence number, signed by the issuer key (a compact JWS)."""

    #: The sequence number of the last event the checkpoint covers.
    seq = BigInt(primary_key=True)
    head = Varchar(length=64)
    signed_at = Timestamptz(index=True)
    #: Compact JWS (EdDSA) over ``{"seq", "head", "signed_at"}``; verifiable against the JWKS.
    jws = Text()
