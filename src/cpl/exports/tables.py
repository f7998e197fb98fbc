"""Exports of a worker's record, the share links given out for them, and every access to those links."""

from __future__ import annotations

from piccolo.columns import JSON, UUID, BigInt, Date, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from cpl.accounts.tables import Account


class Export(Table, tablename="export"):
    """One export job and, once done, the file it made.

    ``status`` runs ``queued`` → ``running`` → ``done`` | ``failed``. A job is claimed by a
    conditional update (``… WHERE status = 'queued'``), so with several server processes
    exactly one runs it; ``heartbeat_at`` moves with its progress, and a running job whose
    heartbeat stops is queued again (its process died).
    """

    id = UUID(primary_key=True)
    owner = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    #: ``json``, ``csv``, ``pdf``, ``credential`` or ``bundle``.
    format = Varchar(length=16)
    #: The selection as posted (period, frameworks, registration, entries).
    selection = JSON(default={})
    #: How the file is written (``bom`` for csv, ``credential_form`` for credential), as posted.
    options = JSON(default={})
    #: SHA-256 of the canonical selection, format and options: exports of the same thing share it.
    selection_key = Varchar(length=64, index=True)
    #: The period the export covers, as resolved when it was made (a registration's cycle, say).
    period_from = Date(null=True, default=None)
    period_to = Date(null=True, default=None)
    status = Varchar(length=16, default="queued", index=True)
    progress_done = Integer(default=0)
    progress_total = Integer(default=0)
    error = Text(default="")
    #: ``exports/<id hex>`` once done.
    storage_key = Varchar(length=100, default="")
    media_type = Varchar(length=100, default="")
    size = BigInt(default=0)
    #: SHA-256 of the exported file, as the verification page shows it.
    sha256 = Varchar(length=64, default="")
    #: Compact JWS (EdDSA) over the export's digest statement; see :mod:`cpl.exports.signing`.
    signature = Text(default="")
    signed_at = Timestamptz(null=True, default=None)
    kid = Varchar(length=200, default="")
    revoked_at = Timestamptz(null=True, default=None)
    #: Who verified what the export carries, as it carries it (name, organisation and whether it
    #: was vetted then, registration number as given): shown on the verification page. Null for
    #: exports made before cpl kept it.
    verifiers = JSON(null=True, default=None)
    #: The later export of the same selection and format that replaced this one.
    superseded_by = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    started_at = Timestamptz(null=True, default=None)
    heartbeat_at = Timestamptz(null=True, default=None)
    #: The node (``node_beat.id``: host, process id, random part) that claimed it last.
    runner = Varchar(length=64, default="")
    #: ``X-Request-Id`` of the request that queued it: the job's log records carry it, on any node.
    request_id = Varchar(length=64, default="")
    finished_at = Timestamptz(null=True, default=None)


class ExportShare(Table, tablename="export_share"):
    """A link that lets someone without an account download one export until it expires.

    Only the SHA-256 of the link's token is kept, and an argon2id hash of the optional passcode.
    """

    id = UUID(primary_key=True)
    export = ForeignKey(references=Export, on_delete=OnDelete.cascade, null=False, index=True)
    token_hash = Varchar(length=64, unique=True)
    passcode_hash = Text(default="")
    #: Who it is for, in the worker's words ("NMC revalidation confirmer").
    label = Varchar(length=200, default="")
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class ExportAccess(Table, tablename="export_access"):
    """One use of a share link, granted or refused: the worker sees every one."""

    id = Serial(primary_key=True)
    share = ForeignKey(references=ExportShare, on_delete=OnDelete.cascade, null=False, index=True)
    at = Timestamptz(default=TimestamptzNow())
    address = Varchar(length=64, default="")
    user_agent = Varchar(length=300, default="")
    #: ``granted``, ``passcode_required``, ``wrong_passcode``, ``throttled``, ``expired`` or ``revoked``.
    outcome = Varchar(length=32)


class WithdrawnExport(Table, tablename="withdrawn_export"):
    """An export whose worker's account was erased: only its id stays, so ``/verify`` can answer
    "withdrawn" to whoever still holds a copy, instead of "never issued here"."""

    id = UUID(primary_key=True)
    withdrawn_at = Timestamptz(default=TimestamptzNow())
