"""Recomputing the chain: ``cpl audit verify``.

The chain is read in order from its first kept event. It holds when every event

- follows the one before without a gap (``seq`` one more) — else an event was *deleted*, or
  events were *reordered*;
- names the previous event's hash as ``previous_hash`` — else the link is broken;
- hashes to its stored ``hash`` (:func:`cpl.audit.chain.event_hash`) — else it was *edited*;
- carries account ids that match their pseudonyms (when the secret key is at hand);

and when the chain starts either at event 1 (after 64 zeros) or right after a kept checkpoint
(the oldest one a retention purge keeps), every stored checkpoint's signature verifies and its
head is the recomputed hash at its sequence number, and a checkpoint saved outside cpl
(``--checkpoint FILE``) is matched too: a log that ends before the checkpoint's sequence number
was *truncated*.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cpl.audit import repository
from cpl.audit.chain import GENESIS, event_hash, pseudonym

#: Verifies a checkpoint's JWS against the published keys and answers its payload (raises if forged).
OpenCheckpoint = Callable[[str], bytes]


class ChainBroken(Exception):
    """The first place where the log and its chain disagree."""

    def __init__(self, seq: int, reason: str) -> None:
        super().__init__(f"event {seq}: {reason}")
        self.seq = seq
        self.reason = reason


@dataclass
class ChainReport:
    first: int = 0
    last: int = 0
    head: str = GENESIS
    checkpoints: int = 0
    hashes: dict[int, str] = field(default_factory=dict, repr=False)


def _check_event(row: dict[str, Any], expected_seq: int, previous: str, key: bytes | None) -> str:
    if row["seq"] != expected_seq:
        raise ChainBroken(expected_seq, f"missing (the next event is {row['seq']}): deleted or reordered")
    if row["previous_hash"] != previous:
        raise ChainBroken(row["seq"], "does not link to the event before it: deleted, inserted or reordered")
    recomputed = event_hash(row)
    if recomputed != row["hash"]:
        raise ChainBroken(row["seq"], "its content does not match its hash: edited")
    if key is not None:
        for person in ("actor", "subject"):
            if row[person] is not None and pseudonym(key, row[person]) != row[f"{person}_pseudonym"]:
                raise ChainBroken(row["seq"], f"its {person} is not the account its pseudonym names: edited")
    return recomputed


async def _start() -> tuple[int, str]:
    """Where the kept chain starts: event 1, or the event after the oldest kept checkpoint.

    A retention purge deletes events up to a checkpoint and keeps it (:mod:`cpl.audit.privacy`),
    so events deleted from the start up to a kept checkpoint look like a purge; anything else is caught."""
    first = await repository.first_seq()
    if first is None:  # every event purged: the chain continues from the newest checkpoint
        latest = await repository.latest_checkpoint()
        return (latest["seq"] + 1, latest["head"]) if latest else (1, GENESIS)
    if first == 1:
        return 1, GENESIS
    anchor = await repository.checkpoint_at_or_before(first - 1)
    if anchor is None or anchor["seq"] != first - 1:
        raise ChainBroken(1, f"the log starts at event {first} and no checkpoint anchors it: events deleted")
    return first, anchor["head"]


async def _walk(key: bytes | None, wanted: set[int]) -> ChainReport:
    expected, previous = await _start()
    report = ChainReport(first=expected, last=expected - 1, head=previous)
    report.hashes[expected - 1] = previous
    async for row in repository.chain_from(expected - 1):
        previous = _check_event(row, expected, previous, key)
        if row["seq"] in wanted:
            report.hashes[row["seq"]] = previous
        report.last, report.head, expected = row["seq"], previous, expected + 1
    return report


def _match(report: ChainReport, seq: int, head: str, where: str) -> None:
    if seq > report.last:
        raise ChainBroken(report.last + 1, f"missing: {where} covers events up to {seq}, the log ends at {report.last}")
    if seq >= report.first - 1 and report.hashes.get(seq) != head:
        raise ChainBroken(seq, f"its hash is not the head {where} signed: edited or replaced")


async def verify_chain(
    open_checkpoint: OpenCheckpoint, key: bytes | None = None, saved: dict[str, Any] | None = None
) -> ChainReport:
    """Recompute the chain and check it against every stored checkpoint and ``saved`` (a checkpoint
    document kept outside cpl); raises :class:`ChainBroken` at the first disagreement."""
    stored = await repository.checkpoints(None, 1_000_000)
    documents = [("checkpoint " + str(row["seq"]), row) for row in stored]
    if saved is not None:
        documents.append(("the saved checkpoint", saved))
    wanted = {int(document["seq"]) for _, document in documents}
    report = await _walk(key, wanted)
    for where, document in sorted(documents, key=lambda item: int(item[1]["seq"])):
        payload = _signed_payload(open_checkpoint, document, where)
        _match(report, payload["seq"], payload["head"], where)
    report.checkpoints = len(stored)
    return report


def _signed_payload(open_checkpoint: OpenCheckpoint, document: dict[str, Any], where: str) -> dict[str, Any]:
    try:
        payload = json.loads(open_checkpoint(document["jws"]))
    except Exception as error:  # any failure to verify the signature is the verdict, not a crash
        raise ChainBroken(int(document["seq"]), f"{where}'s signature does not verify: {error}") from error
    if payload.get("seq") != int(document["seq"]) or payload.get("head") != document["head"]:
        raise ChainBroken(int(document["seq"]), f"{where} says something other than what its signature covers")
    return payload
