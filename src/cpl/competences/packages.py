"""A framework package in cpl's terms, whatever file it came from, and the rules every
import checks before anything is written.

Rules (each refusal names the item, association or line at fault; the package is
refused whole, never half imported):
- every item has an identifier used once, and a code (``humanCodingScheme``) used once;
- an item shows something: a statement, a title or a code;
- an association starts at an item of the package and has a CASE association type;
- a parent (``isChildOf``) is an item of the package or the package's document, and
  following parents never comes back to where it started;
- other associations may point outside the package (CASE links across frameworks, as
  OpenSALT's exports do): cpl keeps them and resolves them when it holds the node.

An item's place in the tree is its first ``isChildOf``; siblings are ordered by that
association's ``sequenceNumber``, then by their order in the package.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field

from cpl.errors import InvalidInput

#: CASE 1.0 association types, plus ``isTranslationOf`` from CASE 1.1.
ASSOCIATION_TYPES = frozenset(
    {
        "isChildOf",
        "isPeerOf",
        "isPartOf",
        "exactMatchOf",
        "precedes",
        "isRelatedTo",
        "replacedBy",
        "exemplar",
        "hasSkillLevel",
        "isTranslationOf",
    }
)
#: Namespace of the identifiers cpl derives (CSV items, built-in frameworks, crosswalks).
CPL_NAMESPACE = uuid.UUID("5f0c8a52-93a7-4c3e-9d0b-6f1f0c2b7a41")
#: A refusal lists at most this many problems.
MAX_REPORTED_PROBLEMS = 50


def derived_identifier(*parts: str) -> str:
    """A stable identifier for something cpl names itself (same parts, same identifier)."""
    return str(uuid.uuid5(CPL_NAMESPACE, "\x1f".join(parts)))


@dataclass(frozen=True)
class FrameworkSpec:
    identifier: str
    title: str
    edition: str
    uri: str = ""
    publisher: str = ""
    language: str = ""
    source_uri: str = ""
    licence: str = ""
    description: str = ""
    last_change: str = ""
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ItemSpec:
    #: How a refusal names the item: ``CFItems[3]`` or ``line 5``.
    where: str
    identifier: str
    code: str = ""
    title: str = ""
    statement: str = ""
    item_type: str = ""
    uri: str = ""
    last_change: str = ""
    details: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return repr(self.code) if self.code else self.identifier


@dataclass(frozen=True)
class AssociationSpec:
    where: str
    identifier: str
    association_type: str
    origin: str
    destination: str
    destination_uri: str = ""
    destination_title: str = ""
    sequence_number: int | None = None
    last_change: str = ""


@dataclass(frozen=True)
class FrameworkPackage:
    framework: FrameworkSpec
    items: list[ItemSpec]
    associations: list[AssociationSpec]


@dataclass(frozen=True)
class PlacedItem:
    """An item with its place in the tree: its parent's identifier, pre-order position, depth."""

    spec: ItemSpec
    parent: str | None
    position: int
    depth: int


@dataclass(frozen=True)
class CheckedPackage:
    """A package that passed every rule, its items in tree order (parents first)."""

    package: FrameworkPackage
    items: list[PlacedItem]
    content_hash: str


def refuse(problems: list[dict[str, str]]) -> InvalidInput:
    """The 422 for a package with problems: the first named in ``detail``, all in ``errors``."""
    shown = problems[:MAX_REPORTED_PROBLEMS]
    more = f" (and {len(problems) - 1} more problems; see `errors`)" if len(problems) > 1 else ""
    first = shown[0]
    return InvalidInput(f"Nothing was imported. {first['field']}: {first['message']}{more}", errors=shown)


def _item_problems(package: FrameworkPackage) -> list[dict[str, str]]:
    problems: list[dict[str, str]] = []
    by_identifier: dict[str, ItemSpec] = {}
    by_code: dict[str, ItemSpec] = {}
    for item in package.items:
        if item.code and item.code in by_code:
            problems.append(
                {"field": item.where, "message": f"code {item.code!r} is also used by {by_code[item.code].where}"}
            )
        elif item.identifier in by_identifier:
            other = by_identifier[item.identifier].where
            problems.append({"field": item.where, "message": f"identifier {item.identifier} is also used by {other}"})
        elif item.identifier == package.framework.identifier:
            problems.append({"field": item.where, "message": "identifier is the document's own identifier"})
        if not (item.statement.strip() or item.title.strip() or item.code):
            problems.append({"field": item.where, "message": "has no statement, title or code"})
        by_identifier.setdefault(item.identifier, item)
        if item.code:
            by_code.setdefault(item.code, item)
    return problems


def _association_problems(package: FrameworkPackage, items: dict[str, ItemSpec]) -> list[dict[str, str]]:
    problems: list[dict[str, str]] = []
    seen: dict[str, str] = {}
    document = package.framework.identifier
    for association in package.associations:
        where, kind = association.where, association.association_type
        if kind not in ASSOCIATION_TYPES:
            problems.append({"field": where, "message": f"association type {kind!r} is not a CASE type"})
        if association.identifier in seen:
            problems.append(
                {
                    "field": where,
                    "message": f"identifier {association.identifier} is also used by {seen[association.identifier]}",
                }
            )
        seen.setdefault(association.identifier, where)
        if association.origin not in items:
            problems.append({"field": where, "message": f"origin {association.origin} is not an item of this package"})
        elif association.origin == association.destination:
            problems.append({"field": where, "message": "origin and destination are the same item"})
        elif kind == "isChildOf" and association.destination not in items and association.destination != document:
            parent = association.destination_title or association.destination
            problems.append({"field": where, "message": f"parent {parent!r} is not an item of this package"})
    return problems


def _parents(package: FrameworkPackage, items: dict[str, ItemSpec]) -> dict[str, tuple[str | None, float]]:
    """Each item's tree parent (first ``isChildOf``) and its sequence number among siblings."""
    parents: dict[str, tuple[str | None, float]] = {}
    for association in package.associations:
        if association.association_type != "isChildOf" or association.origin in parents:
            continue
        parent = association.destination if association.destination in items else None
        order = association.sequence_number if association.sequence_number is not None else float("inf")
        parents[association.origin] = (parent, order)
    return parents


def _cycle_problems(parents: dict[str, tuple[str | None, float]], items: dict[str, ItemSpec]) -> list[dict[str, str]]:
    problems: list[dict[str, str]] = []
    settled: set[str] = set()
    for start in items:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node not in settled and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = parents.get(node, (None, 0))[0]
        if node is not None and node in on_path:
            cycle = path[path.index(node) :]
            names = " → ".join(items[member].label for member in [*cycle, node])
            wheres = ", ".join(items[member].where for member in cycle)
            problems.append({"field": wheres, "message": f"parents form a cycle: {names}"})
        settled.update(path)
    return problems


def _place(package: FrameworkPackage, parents: dict[str, tuple[str | None, float]]) -> list[PlacedItem]:
    """The items in pre-order: parents before children, siblings in sequence order."""
    index = {item.identifier: number for number, item in enumerate(package.items)}
    children: dict[str | None, list[ItemSpec]] = {}
    for item in package.items:
        children.setdefault(parents.get(item.identifier, (None, 0))[0], []).append(item)
    for siblings in children.values():
        siblings.sort(key=lambda item: (parents.get(item.identifier, (None, float("inf")))[1], index[item.identifier]))
    placed: list[PlacedItem] = []
    stack = [(item, None, 0) for item in reversed(children.get(None, []))]
    while stack:
        item, parent, depth = stack.pop()
        placed.append(PlacedItem(item, parent, len(placed), depth))
        stack.extend((child, item.identifier, depth + 1) for child in reversed(children.get(item.identifier, [])))
    return placed


def content_hash(package: FrameworkPackage) -> str:
    """SHA-256 of the package's content (not of where each part sat in the file)."""

    def fields(part: object) -> dict:
        return {name: value for name, value in vars(part).items() if name != "where"}

    content = {
        "framework": fields(package.framework),
        "items": [fields(item) for item in package.items],
        "associations": [fields(association) for association in package.associations],
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def check_package(package: FrameworkPackage) -> CheckedPackage:
    """Apply every rule; raise one :class:`InvalidInput` listing all the problems found."""
    problems = _item_problems(package)
    items = {item.identifier: item for item in package.items}
    problems += _association_problems(package, items)
    if problems:
        raise refuse(problems)
    parents = _parents(package, items)
    problems = _cycle_problems(parents, items)
    if problems:
        raise refuse(problems)
    return CheckedPackage(package, _place(package, parents), content_hash(package))
