"""Frameworks written as rows — an operator's CSV file, cpl's built-in data — as packages.

A row is ``code, title, statement, parent_code``. Codes name items, so identifiers are
derived from the framework's identifier and the code: importing the same rows again
yields the same identifiers, and so changes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from cpl.competences.packages import (
    AssociationSpec,
    FrameworkPackage,
    FrameworkSpec,
    ItemSpec,
    derived_identifier,
    refuse,
)
from cpl.competences.schemas import Code, Statement, Title
from cpl.errors import InvalidInput
from cpl.kernel.fields import Line

CSV_COLUMNS = ("code", "title", "statement", "parent_code")
REQUIRED_CSV_COLUMNS = frozenset({"code", "title"})


@dataclass(frozen=True)
class Row:
    where: str
    code: str
    title: str
    statement: str = ""
    parent_code: str = ""
    item_type: str = ""


def package_from_rows(framework: FrameworkSpec, rows: list[Row]) -> FrameworkPackage:
    """Items and their ``isChildOf`` associations, in row order; checking is left to the caller."""
    document = framework.identifier
    items, associations = [], []
    for row in rows:
        identifier = derived_identifier(document, "item", row.code)
        items.append(ItemSpec(row.where, identifier, row.code, row.title, row.statement, row.item_type))
        parent = derived_identifier(document, "item", row.parent_code) if row.parent_code else document
        associations.append(
            AssociationSpec(
                where=row.where,
                identifier=derived_identifier(document, "isChildOf", row.code),
                association_type="isChildOf",
                origin=identifier,
                destination=parent,
                destination_title=row.parent_code or framework.title,
            )
        )
    return FrameworkPackage(framework, items, associations)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise refuse([{"field": f"line {line}", "message": "is not UTF-8 text"}]) from error


def _header(reader) -> list[str]:
    header = [name.strip().lower() for name in next(reader, [])]
    problems = []
    missing = sorted(REQUIRED_CSV_COLUMNS - set(header))
    if missing:
        problems.append(
            {"field": "line 1", "message": f"the header lacks {', '.join(missing)} (columns: {','.join(CSV_COLUMNS)})"}
        )
    unknown = [name for name in header if name not in CSV_COLUMNS]
    if unknown:
        problems.append({"field": "line 1", "message": f"unknown columns {', '.join(map(repr, unknown))}"})
    if len(set(header)) != len(header):
        problems.append({"field": "line 1", "message": "a column is named twice"})
    if problems:
        raise refuse(problems)
    return header


class CsvRow(BaseModel):
    """One line's fields, held to the same limits as a CASE item's."""

    code: Code
    title: Title
    statement: Statement = ""
    parent_code: Line(255) = ""


def _row(where: str, values: dict[str, str]) -> Row:
    try:
        row = CsvRow.model_validate(values)
    except ValidationError as error:
        raise refuse(
            [{"field": where, "message": f"{'.'.join(map(str, e['loc']))}: {e['msg']}"} for e in error.errors()]
        ) from error
    return Row(where, row.code, row.title, row.statement, row.parent_code)


def rows_from_csv(data: bytes) -> list[Row]:
    """Parse ``code,title,statement,parent_code`` (header first); refuse any bad line by number."""
    reader = csv.reader(io.StringIO(_text(data), newline=""), strict=True)
    rows: list[Row] = []
    problems: list[dict[str, str]] = []
    try:
        header = _header(reader)
        start = reader.line_num + 1
        for values in reader:
            where, start = f"line {start}", reader.line_num + 1
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                problems.append({"field": where, "message": f"has {len(values)} fields; the header has {len(header)}"})
                continue
            try:
                rows.append(_row(where, dict(zip(header, values, strict=True))))
            except InvalidInput as error:
                problems.extend(error.errors or [])
    except csv.Error as error:
        raise refuse([{"field": f"line {reader.line_num}", "message": f"is not valid CSV: {error}"}]) from error
    if problems:
        raise refuse(problems)
    if not rows:
        raise refuse([{"field": "line 2", "message": "the file has a header but no items"}])
    return rows
