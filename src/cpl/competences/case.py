"""Reading a 1EdTech CASE 1.0/1.1 ``CFPackage`` (``CFDocument``, ``CFItems``, ``CFAssociations``).

CASE fields cpl does not model (``educationLevel``, ``notes``, ``CFItemTypeURI``, …) are
kept as they came, so the package can be served back. An edition is the document's
``version``, or its ``lastChangeDateTime`` when it has none.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from cpl.competences.packages import AssociationSpec, FrameworkPackage, FrameworkSpec, ItemSpec, refuse
from cpl.competences.schemas import Identifier, Statement, Title
from cpl.kernel.fields import Line, Paragraphs, control_character_paths
from cpl.kernel.json_depth import loads_json

Uri = Line(2000)
DateTime = Line(40)
#: Fields of a CASE document or item that cpl keeps in its own columns.
DOCUMENT_COLUMNS = frozenset(
    {"identifier", "uri", "title", "creator", "publisher", "version", "lastChangeDateTime", "language"}
    | {"officialSourceURL", "description"}
)
ITEM_COLUMNS = frozenset(
    {"identifier", "uri", "humanCodingScheme", "abbreviatedStatement", "fullStatement", "CFItemType"}
    | {"lastChangeDateTime", "CFDocumentURI"}
)


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="allow")


class NodeIn(_Lenient):
    identifier: Identifier
    uri: Uri = ""
    title: Paragraphs(2000) = ""


class DocumentIn(_Lenient):
    identifier: Identifier
    title: Title
    uri: Uri = ""
    creator: Line(255) = ""
    publisher: Line(255) = ""
    version: Line(100) = ""
    lastChangeDateTime: DateTime = ""
    language: Line(35) = ""
    officialSourceURL: Uri = ""
    description: Statement = ""
    licenseURI: NodeIn | None = None


class ItemIn(_Lenient):
    identifier: Identifier
    fullStatement: Statement
    uri: Uri = ""
    humanCodingScheme: Line(255) = ""
    abbreviatedStatement: Line(500) = ""
    CFItemType: Line(255) = ""
    lastChangeDateTime: DateTime = ""


class AssociationIn(_Lenient):
    identifier: Identifier
    associationType: Line(32, min_length=1)
    originNodeURI: NodeIn
    destinationNodeURI: NodeIn
    sequenceNumber: int | None = None
    uri: Uri = ""
    lastChangeDateTime: DateTime = ""


class PackageIn(_Lenient):
    CFDocument: DocumentIn
    CFItems: list[ItemIn] = []
    CFAssociations: list[AssociationIn] = []


def _where(location: tuple) -> tuple[str, str]:
    """``('CFItems', 3, 'identifier')`` → ``('CFItems[3]', 'identifier')``."""
    head: list[str] = []
    parts = list(location)
    while parts:
        part = parts.pop(0)
        if isinstance(part, int) and head:
            head[-1] += f"[{part}]"
            break
        head.append(str(part))
    return ".".join(head) or "body", ".".join(map(str, parts))


def _validation_problems(error: ValidationError) -> list[dict[str, str]]:
    problems = []
    for item in error.errors():
        where, rest = _where(item["loc"])
        problems.append({"field": where, "message": f"{rest}: {item['msg']}" if rest else item["msg"]})
    return problems


def _document(document: DocumentIn, raw: dict[str, Any]) -> FrameworkSpec:
    edition = document.version or document.lastChangeDateTime
    if not edition:
        raise refuse(
            [{"field": "CFDocument", "message": "has neither version nor lastChangeDateTime to tell editions apart"}]
        )
    licence = (document.licenseURI.title or document.licenseURI.uri) if document.licenseURI else ""
    return FrameworkSpec(
        identifier=document.identifier,
        title=document.title,
        edition=edition,
        uri=document.uri,
        publisher=document.publisher or document.creator,
        language=document.language,
        source_uri=document.officialSourceURL,
        licence=licence,
        description=document.description,
        last_change=document.lastChangeDateTime,
        details={key: value for key, value in raw.items() if key not in DOCUMENT_COLUMNS},
    )


def _item(position: int, item: ItemIn, raw: dict[str, Any]) -> ItemSpec:
    return ItemSpec(
        where=f"CFItems[{position}]",
        identifier=item.identifier,
        code=item.humanCodingScheme,
        title=item.abbreviatedStatement,
        statement=item.fullStatement,
        item_type=item.CFItemType,
        uri=item.uri,
        last_change=item.lastChangeDateTime,
        details={key: value for key, value in raw.items() if key not in ITEM_COLUMNS},
    )


def _association(position: int, association: AssociationIn) -> AssociationSpec:
    destination = association.destinationNodeURI
    return AssociationSpec(
        where=f"CFAssociations[{position}]",
        identifier=association.identifier,
        association_type=association.associationType,
        origin=association.originNodeURI.identifier,
        destination=destination.identifier,
        destination_uri=destination.uri,
        destination_title=destination.title,
        sequence_number=association.sequenceNumber,
        last_change=association.lastChangeDateTime,
    )


def package_from_case(data: bytes) -> FrameworkPackage:
    """Parse a CASE package; unreadable JSON or a missing field is refused by name."""
    try:
        raw = loads_json(data, "The CASE package")
    except UnicodeDecodeError as error:
        raise refuse([{"field": "body", "message": "is not UTF-8 text"}]) from error
    except json.JSONDecodeError as error:
        message = f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        raise refuse([{"field": "body", "message": message}]) from error
    if not isinstance(raw, dict):
        raise refuse([{"field": "body", "message": "is not a CASE CFPackage (a JSON object with CFDocument)"}])
    try:
        package = PackageIn.model_validate(raw)
    except ValidationError as error:
        raise refuse(_validation_problems(error)) from error
    if found := control_character_paths(raw):  # in what the models let through, as kept extensions
        raise refuse([{"field": path, "message": "must not contain control characters"} for path in found[:20]])
    return FrameworkPackage(
        framework=_document(package.CFDocument, raw["CFDocument"]),
        items=[_item(n, item, raw["CFItems"][n]) for n, item in enumerate(package.CFItems)],
        associations=[_association(n, association) for n, association in enumerate(package.CFAssociations)],
    )
