"""Professional registers' numbers, and how cpl words what it did and did not check.

cpl checks the *format* of a registration number against the register's published one; it
never checks the *person*: none of these registers offers an open API. So every number is
shown "as given, not checked with the register", and an organisation no operator has vetted
is shown as a "self-declared organisation".

Formats (each checked on the register's own pages, December 2026):

- ``nmc`` — NMC PIN: two digits, one letter, four digits, one letter (``12A3456E``).
  nmc.org.uk, "Search the register"; the PIN is on every registrant's statement of entry.
- ``hcpc`` — HCPC registration number: the profession's code (AS, BS, CH, CS, DT, HAD, ODP,
  OR, OT, PA, PH, PO, PYL, RA, SL) then up to six digits (``PH123456``, ``PYL123456``).
  hcpc-uk.org, "How to check the Register" and the registrant snapshots' profession codes.
  ``SW`` numbers moved to Social Work England on 2 December 2019.
- ``swe`` — Social Work England: ``SW`` then digits (``SW123456``); socialworkengland.org.uk,
  "Search the register".
- ``sssc`` — SSSC: a number, digits only (``1234567``); sssc.uk.com, "Check the register".
- ``other`` — any other register: taken as given (still one line, at most 64 characters).

Case rule (the same wherever a number is accepted, and stated in the OpenAPI schema): white
space around the number is removed and letters are upper-cased before the format is checked
(registers print them in capitals, people type them either way); what is stored and shown is
that normalised form. A number that then does not fit its register's format is refused (422,
naming the field).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StringConstraints

Register = Literal["nmc", "hcpc", "swe", "sssc", "other"]

HCPC_PROFESSION_CODES = ("AS", "BS", "CH", "CS", "DT", "HAD", "ODP", "OR", "OT", "PA", "PH", "PO", "PYL", "RA", "SL")

#: Each register's published format, on the normalised (upper-case) number.
FORMATS: dict[str, re.Pattern[str]] = {
    "nmc": re.compile(r"[0-9]{2}[A-Z][0-9]{4}[A-Z]"),
    "hcpc": re.compile(rf"(?:{'|'.join(HCPC_PROFESSION_CODES)})[0-9]{{1,6}}"),
    "swe": re.compile(r"SW[0-9]{1,7}"),
    "sssc": re.compile(r"[0-9]{1,8}"),
}
#: What the refusal says each register's numbers look like.
DESCRIPTIONS = {
    "nmc": "an NMC PIN is two digits, a letter, four digits and a letter, such as 12A3456E",
    "hcpc": "an HCPC number is the profession's code (such as PH or PYL) and up to six digits, such as PH123456",
    "swe": "a Social Work England number is SW and digits, such as SW123456",
    "sssc": "an SSSC registration number is digits only, such as 1234567",
}
#: Register names as people read them.
NAMES = {"nmc": "NMC", "hcpc": "HCPC", "swe": "Social Work England", "sssc": "SSSC", "other": ""}

AS_GIVEN = "as given, not checked with the register"
SELF_DECLARED = "self-declared organisation"
VETTED = "vetted organisation"


def normalise(number: str) -> str:
    """The number without surrounding white space, letters upper-cased."""
    return number.strip().upper()


def infer_register(number: str) -> str | None:
    """The one register whose format the normalised number fits, when no register was named."""
    fitting = [register for register, pattern in FORMATS.items() if pattern.fullmatch(number)]
    return fitting[0] if len(fitting) == 1 else None


def format_problem(register: str, number: str) -> str | None:
    """Why the normalised number is not in the register's format, or None when it is (or no format is published)."""
    pattern = FORMATS.get(register)
    if pattern is None or pattern.fullmatch(number):
        return None
    return f"not in the {NAMES[register]} format: {DESCRIPTIONS[register]}"


def organisation_standing(vetted: bool) -> str:
    """``vetted organisation`` or ``self-declared organisation``: how a verifier's organisation is labelled."""
    return VETTED if vetted else SELF_DECLARED


def registration_label(number: str, register: str = "") -> str:
    """How a verifier's registration number is shown everywhere: ``NMC 12A3456E (as given, not checked with
    the register)``; empty when there is none."""
    if not number:
        return ""
    name = NAMES.get(register, "")
    return f"{name + ' ' if name else ''}{number} ({AS_GIVEN})"


def verifier_line(verification: Mapping[str, Any]) -> str:
    """Who verified, as every rendering of a verification shows it (credential, PDF, CSV, /verify):
    ``Jane Smith (Ward manager; NHS Lothian, self-declared organisation; registration NMC 12A3456E
    (as given, not checked with the register))``. A verification without ``organisation_vetted``
    (made before vetting existed) reads as self-declared."""
    about = [verification.get("verifier_role") or ""]
    if verification.get("organisation_name"):
        standing = organisation_standing(bool(verification.get("organisation_vetted")))
        about.append(f"{verification['organisation_name']}, {standing}")
    number = registration_label(
        verification.get("verifier_registration_number") or "", verification.get("verifier_register") or ""
    )
    if number:
        about.append(f"registration {number}")
    who = "; ".join(part for part in about if part)
    return f"{verification['verifier_name']}{f' ({who})' if who else ''}"


def _nmc_pin(value: str) -> str:
    """An NMC PIN in capitals (or empty): the case rule, then NMC's format."""
    value = normalise(value)
    if value and not FORMATS["nmc"].fullmatch(value):
        raise ValueError(DESCRIPTIONS["nmc"])
    return value


#: A request field holding an NMC PIN (or empty): surrounding white space removed, letters
#: upper-cased, then NMC's format checked. The OpenAPI pattern states what is accepted.
NmcPin = Annotated[
    str,
    StringConstraints(max_length=16, pattern=r"^\s*([0-9]{2}[A-Za-z][0-9]{4}[A-Za-z])?\s*$"),
    AfterValidator(_nmc_pin),
    Field(
        description=(
            "An NMC PIN: two digits, a letter, four digits and a letter (12A3456E). Letters may be given in either "
            "case and are stored upper-case; surrounding white space is removed. As given, not checked with the "
            "register."
        )
    ),
]
