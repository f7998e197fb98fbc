"""Reading xAPI statements: the subset cpl accepts as a Learning Record Store, checked field by field.

What is checked (xAPI 1.0.3, Part Two "Data", §2.4; xAPI 2.0 / IEEE 9274.1.1 keeps the same
structure), each refusal naming the statement's position and the field:

- ``id``, when given, a UUID (§2.4.1); the LRS assigns one otherwise.
- ``actor`` an Agent identified by ``mbox`` (``mailto:`` IRI) or ``account`` (``homePage`` and
  ``name``) (§2.4.2.1, §2.4.2.3). A Group names no one worker, so cpl cannot suggest to it.
- ``verb.id`` an IRI (§2.4.3).
- ``object`` an Activity with an IRI ``id`` (§2.4.4.1), or a StatementRef with a UUID ``id``
  (voiding, §2.4.4.3, §2.3.2).
- ``timestamp``, when given, an ISO 8601 date and time with its offset (§2.4.7); the stored time
  otherwise. ``result.duration`` an ISO 8601 duration (§2.4.5).
- ``version``, when given, 1.0.x or 2.0.x.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from cpl.errors import MalformedRequest

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
#: The verbs that say a worker finished something worth recording (ADL vocabulary,
#: http://adlnet.gov/expapi/verbs/).
SUGGESTING_VERBS = frozenset(f"http://adlnet.gov/expapi/verbs/{verb}" for verb in ("completed", "passed", "attended"))
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_VERSION = re.compile(r"^(1\.0(\.\d+)?|2\.0(\.\d+)?)$")
_NUMBER = r"(\d+(?:\.\d+)?)"
_DURATION = re.compile(
    rf"^P(?!$)(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}W)?(?:{_NUMBER}D)?"
    rf"(?:T(?=\d)(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?$"
)
#: Minutes in each part of an ISO 8601 duration; a year and a month taken at their average length.
_MINUTES = (525_960, 43_830, 10_080, 1_440, 60, 1, 1 / 60)
#: Keys the LRS sets, left out when comparing a replay with what is stored (1.0.3 Part Three §2.1.2).
_SET_BY_LRS = ("id", "stored", "authority", "version")


@dataclass(frozen=True)
class Statement:
    """One statement, checked: what cpl needs of it, and the statement itself."""

    position: int
    statement_id: UUID | None
    verb: str
    #: Lower-cased e-mail of the actor (``mbox``, or an ``account`` name that is an address).
    email: str | None
    actor: str
    object_type: str
    object_id: str
    timestamp: datetime | None
    body: dict[str, Any]
    content_hash: str

    @property
    def voids(self) -> UUID | None:
        """The statement this one voids."""
        return UUID(self.object_id) if self.verb == VOIDED else None


def refuse(position: int | None, field: str, message: str) -> MalformedRequest:
    where = f"statements[{position}].{field}" if position is not None else field
    return MalformedRequest(f"{where}: {message}.", errors=[{"field": where, "message": message}])


def content_hash(body: dict[str, Any]) -> str:
    kept = {key: value for key, value in body.items() if key not in _SET_BY_LRS}
    return hashlib.sha256(json.dumps(kept, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def read_statement(position: int, body: Any) -> Statement:
    """Check one statement; :class:`MalformedRequest` (400) naming what is wrong otherwise."""
    if not isinstance(body, dict):
        raise refuse(position, "statement", "must be a JSON object")
    version = body.get("version")
    if version is not None and (not isinstance(version, str) or not _VERSION.match(version)):
        raise refuse(position, "version", "must be 1.0.x or 2.0.x")
    email, actor = _actor(position, body.get("actor"))
    verb = _verb(position, body.get("verb"))
    object_type, object_id = _object(position, body.get("object"), verb)
    _result(position, body.get("result"))
    return Statement(
        position=position,
        statement_id=_uuid(position, "id", body["id"]) if "id" in body else None,
        verb=verb,
        email=email,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        timestamp=_timestamp(position, body.get("timestamp")),
        body=body,
        content_hash=content_hash(body),
    )


def _uuid(position: int, field: str, value: Any) -> UUID:
    if isinstance(value, str):
        try:
            return UUID(value)
        except ValueError:
            pass
    raise refuse(position, field, "must be a UUID")


def _actor(position: int, actor: Any) -> tuple[str | None, str]:
    if not isinstance(actor, dict):
        raise refuse(position, "actor", "must be an object")
    if actor.get("objectType", "Agent") != "Agent":
        raise refuse(position, "actor.objectType", "must be Agent: cpl suggests entries to one person")
    mbox, account = actor.get("mbox"), actor.get("account")
    if mbox is not None:
        if not isinstance(mbox, str) or not re.fullmatch(r"mailto:[^@\s]+@[^@\s]+", mbox):
            raise refuse(position, "actor.mbox", "must be a mailto: IRI, such as mailto:sam@example.org")
        return mbox.removeprefix("mailto:").lower(), mbox
    if isinstance(account, dict) and isinstance(account.get("name"), str) and account.get("name"):
        if not isinstance(account.get("homePage"), str) or not _IRI.match(account["homePage"]):
            raise refuse(position, "actor.account.homePage", "must be an IRI")
        name = account["name"]
        return (name.lower() if "@" in name else None), f"{account['homePage']} {name}"
    raise refuse(position, "actor", "must be identified by mbox (mailto:) or account (homePage and name)")


def _verb(position: int, verb: Any) -> str:
    if not isinstance(verb, dict) or not isinstance(verb.get("id"), str) or not _IRI.match(verb["id"]):
        raise refuse(position, "verb.id", "must be an IRI, such as http://adlnet.gov/expapi/verbs/completed")
    return verb["id"]


def _object(position: int, target: Any, verb: str) -> tuple[str, str]:
    if not isinstance(target, dict):
        raise refuse(position, "object", "must be an object")
    object_type = target.get("objectType", "Activity")
    if verb == VOIDED and object_type != "StatementRef":
        raise refuse(position, "object.objectType", "must be StatementRef in a voiding statement")
    if object_type == "StatementRef":
        return object_type, str(_uuid(position, "object.id", target.get("id")))
    if object_type != "Activity":
        raise refuse(position, "object.objectType", "must be Activity or StatementRef (cpl takes no others)")
    if not isinstance(target.get("id"), str) or not _IRI.match(target["id"]):
        raise refuse(position, "object.id", "must be an IRI")
    definition = target.get("definition", {})
    if not isinstance(definition, dict):
        raise refuse(position, "object.definition", "must be an object")
    for field in ("name", "description"):
        if not isinstance(definition.get(field, {}), dict):
            raise refuse(position, f"object.definition.{field}", "must be a language map")
    return object_type, target["id"]


def _result(position: int, result: Any) -> None:
    if result is None:
        return
    if not isinstance(result, dict):
        raise refuse(position, "result", "must be an object")
    for flag in ("completion", "success"):
        if flag in result and not isinstance(result[flag], bool):
            raise refuse(position, f"result.{flag}", "must be true or false")
    if "duration" in result:
        duration_minutes(position, result["duration"])


def duration_minutes(position: int, value: Any) -> int:
    """An ISO 8601 duration (``PT1H30M``) in whole minutes, rounded up."""
    match = _DURATION.match(value) if isinstance(value, str) else None
    if match is None:
        raise refuse(position, "result.duration", "must be an ISO 8601 duration, such as PT1H30M")
    minutes = sum(float(part) * size for part, size in zip(match.groups(), _MINUTES, strict=True) if part)
    return math.ceil(minutes - 1e-9)


def _timestamp(position: int, value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or "T" not in value:
        raise refuse(position, "timestamp", "must be an ISO 8601 date and time with its offset")
    return moment
