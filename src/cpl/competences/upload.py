"""What an operator imports: a CASE ``CFPackage`` (JSON) or a CSV file of rows.

A CSV file cannot say what framework it is, so its title and edition come with it; its
identifier is derived from the title unless given, so importing the same file again
finds the same framework.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ValidationError

from cpl.competences.case import package_from_case
from cpl.competences.packages import CheckedPackage, FrameworkSpec, check_package, derived_identifier
from cpl.competences.rows import package_from_rows, rows_from_csv
from cpl.competences.schemas import CsvFrameworkIn
from cpl.errors import InvalidInput, invalid_input_from

FileFormat = Literal["case", "csv"]


def csv_framework(meta: CsvFrameworkIn) -> FrameworkSpec:
    return FrameworkSpec(
        identifier=meta.identifier or derived_identifier("csv", meta.title.casefold()),
        title=meta.title,
        edition=meta.edition,
        publisher=meta.publisher,
        language=meta.language,
        source_uri=meta.source_uri,
        licence=meta.licence,
    )


def csv_framework_from(file_format: FileFormat, values: dict[str, str | None]) -> CsvFrameworkIn | None:
    """A CSV file's framework metadata (given values only); a CASE package takes none."""
    given = {name: value for name, value in values.items() if value is not None}
    if file_format == "case":
        if given:
            names = ", ".join(sorted(given))
            raise InvalidInput(f"Nothing was imported. {names}: only for CSV files; a CASE package describes itself.")
        return None
    try:
        return CsvFrameworkIn.model_validate(given)
    except ValidationError as error:
        refusal = invalid_input_from(error)
        first = (refusal.errors or [{"field": "body", "message": "invalid"}])[0]
        refusal.detail = f"Nothing was imported. {first['field']}: {first['message']}"
        raise refusal from error


def read_framework_file(data: bytes, file_format: FileFormat, meta: CsvFrameworkIn | None) -> CheckedPackage:
    """Parse and check a framework file (CPU-bound: run it off the event loop)."""
    if file_format == "csv":
        if meta is None:
            raise ValueError("a CSV framework needs its title")
        return check_package(package_from_rows(csv_framework(meta), rows_from_csv(data)))
    return check_package(package_from_case(data))
