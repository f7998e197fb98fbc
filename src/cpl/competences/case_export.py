"""Serving a framework edition back as a CASE 1.0 ``CFPackage``.

The package holds what its publisher asserted (cpl's own crosswalk is not the
publisher's and is left out). CASE fields kept from the import are served as they came;
URIs that were never given are minted under this service's CASE path.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from cpl.competences.tables import CompetenceAssociation, CompetenceFramework, CompetenceItem
from cpl.errors import NotFound

CASE_PATH = "/ims/case/v1p0"


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


async def case_package(reference: str, base_url: str) -> dict[str, Any]:
    """The CFPackage of one edition; ``base_url`` is this service's address."""
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
