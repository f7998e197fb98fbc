"""``cpl audit …``: verify the chain, sign a checkpoint, read the log (operators).

``cpl audit verify [--checkpoint FILE]`` recomputes the chain (:mod:`cpl.audit.verify`) and
exits 1 at the first broken link. ``cpl audit checkpoint [--save FILE]`` signs the head if
events were appended since the last checkpoint and saves the newest checkpoint to keep outside
cpl. ``cpl audit show`` lists events, newest first, filtered.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID

import anyio

from cpl.audit import CHECKPOINT_TYP, ChainBroken, checkpoint_document, verify_chain, write_checkpoint_if_due
from cpl.audit import repository as audit_repository
from cpl.audit.chain import PSEUDONYM_PURPOSE, timestamp
from cpl.cli_operators import run_with_database
from cpl.secret_key import purpose_key
from cpl.settings import Settings
from cpl.signing import published_jwks, sign_payload, verify_jws


def _read_checkpoint(path: str | None) -> dict[str, Any] | None:
    if path is None:
        return None
    document = json.loads(Path(path).read_text())
    if not isinstance(document, dict) or not {"seq", "head", "jws"} <= document.keys():
        raise ValueError(f"{path} is not an audit checkpoint (seq, head, signed_at, jws)")
    return document


def verify_command(settings: Settings, args: argparse.Namespace) -> int:
    """Recompute the chain; exit 1 and name the first broken link when it does not hold."""
    try:
        saved = _read_checkpoint(args.checkpoint)
    except (OSError, ValueError) as error:
        print(f"Cannot read the checkpoint: {error}", file=sys.stderr)
        return 2

    async def work():
        jwks = await published_jwks(settings)
        key = await anyio.to_thread.run_sync(purpose_key, settings, PSEUDONYM_PURPOSE)
        return await verify_chain(partial(verify_jws, jwks=jwks), key, saved)

    try:
        report = run_with_database(settings, work)
    except ChainBroken as broken:
        print(f"BROKEN at {broken}", file=sys.stderr)
        return 1
    print(
        f"OK: events {report.first}–{report.last} chain to head {report.head}; "
        f"{report.checkpoints} stored checkpoint(s) verified" + ("; the saved checkpoint matches" if saved else "")
    )
    return 0


def checkpoint_command(settings: Settings, args: argparse.Namespace) -> int:
    """Sign the chain head if due; save the newest checkpoint to ``--save``."""

    async def work():
        await write_checkpoint_if_due(partial(sign_payload, settings, typ=CHECKPOINT_TYP))
        return await audit_repository.latest_checkpoint()

    latest = run_with_database(settings, work)
    if latest is None:
        print("No events yet: nothing to sign.")
        return 0
    document = checkpoint_document(latest)
    if args.save:
        Path(args.save).write_text(json.dumps(document, indent=2) + "\n")
    print(f"Checkpoint at event {document['seq']}, head {document['head']}, signed {document['signed_at']}.")
    return 0


def _line(row: dict[str, Any]) -> str:
    people = f"actor={row['actor'] or row['actor_pseudonym'][:12] or '-'} subject={row['subject'] or '-'}"
    client = f"{row['user_agent'] or '-'} {row['network'] or '-'} req={row['request_id'] or '-'}"
    return (
        f"{row['seq']:>8} {timestamp(row['occurred_at'])} {row['action']} {row['outcome']} {people} "
        f"object={row['object'] or '-'} {client} {row['detail']}"
    )


def show_command(settings: Settings, args: argparse.Namespace) -> int:
    """The newest events matching the filters, one a line."""
    filters = {
        "actor": args.actor,
        "subject": args.subject,
        "action": args.action,
        "since": args.since,
        "until": args.until,
        "limit": args.limit,
    }
    rows = run_with_database(settings, lambda: audit_repository.filtered(**filters))
    for row in rows:
        print(_line(row))
    return 0


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give a time with its offset, e.g. 2026-12-03T10:00:00+00:00")
    return moment


def add_audit_commands(commands: Any) -> None:
    audit = commands.add_parser("audit", help="the audit log: verify, checkpoint, show").add_subparsers(
        dest="audit_command", required=True
    )
    verify = audit.add_parser("verify", help="recompute the hash chain; exit 1 at the first broken link")
    verify.add_argument("--checkpoint", help="a checkpoint saved outside cpl (from `cpl audit checkpoint --save`)")
    verify.set_defaults(handler=verify_command)
    checkpoint = audit.add_parser("checkpoint", help="sign the chain head if there were new events")
    checkpoint.add_argument("--save", help="write the newest checkpoint to this file, to keep outside cpl")
    checkpoint.set_defaults(handler=checkpoint_command)
    show = audit.add_parser("show", help="events, newest first (operators)")
    show.add_argument("--actor", type=UUID, help="account id of who acted")
    show.add_argument("--subject", type=UUID, help="account id of whose record it is about")
    show.add_argument("--action", help="an action, or a prefix ending in * (signin.*)")
    show.add_argument("--since", type=_moment, help="ISO 8601 time with offset")
    show.add_argument("--until", type=_moment, help="ISO 8601 time with offset")
    show.add_argument("--limit", type=int, default=100)
    show.set_defaults(handler=show_command)
