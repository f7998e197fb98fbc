"""A verifier's registration number: normalised, its register named or found, its format checked.

The formats and the case rule are in :mod:`cpl.kernel.registers` (with their sources). Only the
format is checked, never the person: the number is shown "as given, not checked with the register".
"""

from __future__ import annotations

from cpl.errors import invalid_field
from cpl.kernel.registers import FORMATS, format_problem, infer_register, normalise


def checked_registration(number: str, register: str | None) -> tuple[str, str]:
    """The normalised number and its register (``""``, ``""`` without a number); 422 naming
    ``registration_number`` when it does not fit the register named, or no known register's
    format when none was named."""
    if not number:
        return "", ""
    number = normalise(number)
    if register is None:
        register = infer_register(number)
        if register is None:
            known = ", ".join(name.upper() for name in FORMATS)
            raise invalid_field(
                "registration_number",
                f"not in the format of any register cpl knows ({known}); "
                'name the register, or give "register": "other" for another one',
            )
    problem = format_problem(register, number)
    if problem:
        raise invalid_field("registration_number", problem)
    return number, register
