"""Serving framework editions back through the CASE 1.0 REST API (1EdTech CASE Service 1.0, §4).

The package holds what its publisher asserted (cpl's own crosswalk is not the
publisher's and is left out). CASE fields kept from the import are served as they came;
URIs that were never given are minted under this service's CASE path, at
``<public_base_url>/ims/case/v1p0/{CFDocuments|CFItems|CFAssociations}/{identifier}``, and
those URIs answer: ``getCFDocument``, ``getCFItem``, ``getCFAssociation`` and
``getCFPackage`` serve each object (of the latest edition holding that identifier) as it
appears in its package, so a consumer that follows a URI finds what the package says.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from cpl.competences.tables import CompetenceAssociation, CompetenceFramework, CompetenceItem
from cpl.errors import NotFound

CASE_PATH = "/ims/case/v1p0"


def case_uri(base_url: str, kind: str, identifier: str) -> str:
    """The URI cpl mints for a CASE object (``kind``: ``CFDocuments``, ``CFItems``, ``CFAssociations``)."""
    return f"{base_url.rstrip('/')}{CASE_PATH}/{kind}/{identifier}"


def item_uri(base_url: str, uri: str, identifier: str) -> str:
    """A CFItem's URI: the one its package gave, else the one cpl mints (and answers at)."""
    return uri or case_uri(base_url, "CFItems", identifier)


async def _framework(reference: str) -> dict[str, Any]:
    """By cpl's framework id, else by CASE document identifier (the latest imported edition)."""
    row = None
    try:
        row = (
            await CompetenceFramework.select()
            .where(CompetenceFramework.id == UUID(reference))
            .output(load_json=True)
            .first()
        )
    except ValueError:
        pass
    if row is None:
        row = await (
            CompetenceFramework.select()
            .where(CompetenceFramework.identifier == reference)
            .order_by(CompetenceFramework.imported_at, ascending=False)
            .output(load_json=True)
            .first()
        )
    if row is None:
        raise NotFound("No competence framework with this id or CASE identifier.")
    return row


def _label(item: dict[str, Any]) -> str:
    return item["code"] or item["title"] or item["statement"][:100]


def _document(framework: dict[str, Any], base: str) -> dict[str, Any]:
    last_change = framework["last_change"] or framework["imported_at"].isoformat()
    document = {
        "identifier": framework["identifier"],
        "uri": framework["uri"] or f"{base}/CFDocuments/{framework['identifier']}",
        "creator": framework["publisher"] or "cpl",
        "title": framework["title"],
        "lastChangeDateTime": last_change,
    }
    optional = {
        "version": framework["edition"] if framework["edition"] != framework["last_change"] else "",
        "publisher": framework["publisher"],
        "language": framework["language"],
        "officialSourceURL": framework["source_uri"],
        "description": framework["description"],
        "notes": framework["licence"] if "licenseURI" not in framework["details"] else "",
    }
    return {**framework["details"], **document, **{key: value for key, value in optional.items() if value}}


def _item(item: dict[str, Any], document_link: dict[str, str], base: str, last_change: str) -> dict[str, Any]:
    case_item = {
        "identifier": item["identifier"],
        "uri": item["uri"] or f"{base}/CFItems/{item['identifier']}",
        "fullStatement": item["statement"] or item["title"],
        "lastChangeDateTime": item["last_change"] or last_change,
        "CFDocumentURI": document_link,
    }
    optional = {
        "humanCodingScheme": item["code"],
        "abbreviatedStatement": item["title"],
        "CFItemType": item["item_type"],
    }
    return {**item["details"], **case_item, **{key: value for key, value in optional.items() if value}}


def _node(item: dict[str, Any] | None, identifier: str, uri: str, title: str, base: str) -> dict[str, str]:
    if item is not None:
        return {
            "title": _label(item),
            "identifier": item["identifier"],
            "uri": item["uri"] or f"{base}/CFItems/{item['identifier']}",
        }
    return {"title": title, "identifier": identifier, "uri": uri or f"{base}/CFItems/{identifier}"}


def _association(
    association: dict[str, Any], by_id: dict, document_link: dict[str, str], base: str, fallback: str
) -> dict:
    """One CFAssociation; a top-level ``isChildOf`` points at the document itself."""
    if association["destination"] is None and association["destination_identifier"] == document_link["identifier"]:
        destination = document_link
    else:
        destination = _node(
            by_id.get(association["destination"]),
            association["destination_identifier"],
            association["destination_uri"],
            association["destination_title"],
            base,
        )
    case_association = {
        "identifier": association["identifier"],
        "uri": f"{base}/CFAssociations/{association['identifier']}",
        "associationType": association["association_type"],
        "originNodeURI": _node(by_id[association["origin"]], "", "", "", base),
        "destinationNodeURI": destination,
        "lastChangeDateTime": association["last_change"] or fallback,
        "CFDocumentURI": document_link,
    }
    if association["sequence_number"] is not None:
        case_association["sequenceNumber"] = association["sequence_number"]
    return case_association


async def _latest_framework_holding(table: type[CompetenceItem] | type[CompetenceAssociation], identifier: str) -> str:
    """The id of the newest edition that holds an item or association with this CASE identifier."""
    row = await (
        table.select(table.framework)
        .where((table.identifier == identifier) & table.framework.is_not_null())
        .order_by(table.framework.imported_at, ascending=False)
        .first()
    )
    if row is None:
        raise NotFound(f"No {table.__name__.removeprefix('Competence')} with this CASE identifier.")
    return str(row["framework"])


async def case_document(reference: str, base_url: str) -> dict[str, Any]:
    """``getCFDocument``: the CFDocument of an edition (by cpl id, or the latest one with that identifier)."""
    return _document(await _framework(reference), base_url.rstrip("/") + CASE_PATH)


async def case_item(identifier: str, base_url: str) -> dict[str, Any]:
    """``getCFItem``: the item as the package of the newest edition holding it serves it."""
    package = await case_package(await _latest_framework_holding(CompetenceItem, identifier), base_url)
    return next(item for item in package["CFItems"] if item["identifier"] == identifier)


async def case_association(identifier: str, base_url: str) -> dict[str, Any]:
    """``getCFAssociation``: a publisher's association as its package serves it (cpl's crosswalk is not served)."""
    package = await case_package(await _latest_framework_holding(CompetenceAssociation, identifier), base_url)
    found = [association for association in package["CFAssociations"] if association["identifier"] == identifier]
    if not found:
        raise NotFound("No Association with this CASE identifier.")
    return found[0]


async def case_package(reference: str, base_url: str) -> dict[str, Any]:
    """The CFPackage of one edition; ``base_url`` is this service's public address."""
    framework = await _framework(reference)
    base = base_url.rstrip("/") + CASE_PATH
    document = _document(framework, base)
    document_link = {"title": document["title"], "identifier": document["identifier"], "uri": document["uri"]}
    items = await (
        CompetenceItem.select()
        .where(CompetenceItem.framework == framework["id"])
        .order_by(CompetenceItem.position)
        .output(load_json=True)
    )
    by_id = {item["id"]: item for item in items}
    associations = await CompetenceAssociation.select().where(CompetenceAssociation.framework == framework["id"])
    outside = {a["destination"] for a in associations if a["destination"] and a["destination"] not in by_id}
    if outside:
        by_id.update(
            {item["id"]: item for item in await CompetenceItem.select().where(CompetenceItem.id.is_in(list(outside)))}
        )
    last_change = document["lastChangeDateTime"]
    return {
        "CFDocument": document,
        "CFItems": [_item(item, document_link, base, last_change) for item in items],
        "CFAssociations": [_association(a, by_id, document_link, base, last_change) for a in associations],
    }
