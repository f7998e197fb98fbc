"""Field types of request schemas.

Text is bounded and free of control characters (NUL above all, which PostgreSQL cannot
store, while SQLite stores it): they are refused rather than stripped, so what is stored is
what was sent, and both databases answer alike. Every text of every request body is held to
this, whatever its type (:class:`cpl.kernel.schemas.RequestModel`); ``Line`` and ``Paragraphs``
add bounds and refuse line breaks where a line is expected.
Booleans and integers must arrive as JSON booleans and integers: ``"yes"``, ``"90"`` or
``90.5`` are refused (Litestar validates bodies in lax mode, so ``Strict*`` types would not).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, StringConstraints

_CONTROL_CHARACTERS = r"\x00-\x1f\x7f"
_CONTROL = re.compile(f"[{_CONTROL_CHARACTERS}]")
#: No control characters, for query and path parameters: Litestar checks it (422 naming
#: the parameter) and OpenAPI shows it. Unchecked, a NUL reaches PostgreSQL and fails there.
#: (``$`` lets one final line break through, as Python's ``re`` does; that one is harmless.)
SINGLE_LINE_PATTERN = f"^[^{_CONTROL_CHARACTERS}]*$"
_CONTROL_EXCEPT_LINE_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_character_paths(value: Any, path: tuple[str | int, ...] = ()) -> list[str]:
    """The dotted path of every text in a decoded JSON value (keys included) holding a control
    character other than a tab or a line break: what :class:`RequestModel` and imports refuse."""
    if isinstance(value, str):
        return [".".join(map(str, path)) or "body"] if _CONTROL_EXCEPT_LINE_BREAKS.search(value) else []
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            found += control_character_paths(key, (*path, "(name)")) + control_character_paths(item, (*path, key))
        return found
    if isinstance(value, list | tuple | set | frozenset):
        return [hit for position, item in enumerate(value) for hit in control_character_paths(item, (*path, position))]
    return []


def _single_line(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters or line breaks")
    return value


def _multi_line(value: str) -> str:
    if _CONTROL_EXCEPT_LINE_BREAKS.search(value):
        raise ValueError("must not contain control characters")
    return value


def Line(max_length: int, min_length: int = 0):
    """A single line of text, stripped of surrounding white space."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_single_line),
    ]


#: Unicode's explicit bidirectional formatting characters (UAX #9 §2: embeddings and overrides
#: U+202A–U+202E, isolates U+2066–U+2069, the marks U+200E, U+200F and U+061C). In a name they
#: can reorder what a reader sees ("Trojan Source", CVE-2021-42574): ``Dr Jane Smith\u202e`` can
#: display as another name on /verify, a PDF or a verification.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _no_bidi_controls(value: str) -> str:
    if found := _BIDI_CONTROLS.search(value):
        raise ValueError(f"must not contain bidirectional control characters (found U+{ord(found.group()):04X})")
    return value


def Name(max_length: int, min_length: int = 1):
    """The name of a person or an organisation: a line, without bidirectional controls.

    Names are what a reader of a verification trusts, so they are shown exactly as their letters
    run; right-to-left scripts still display correctly without the controls (UAX #9 resolves
    each letter's direction itself). Titles and free text keep the marks, which mixed-direction
    writing sometimes needs.
    """
    return Annotated[Line(max_length, min_length), AfterValidator(_no_bidi_controls)]


def Paragraphs(max_length: int):
    """Free text that may span lines."""
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_multi_line)]


def _json_bool(value: object) -> object:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _json_int(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a whole number")
    return value


JsonBool = Annotated[bool, BeforeValidator(_json_bool)]
JsonInt = Annotated[int, BeforeValidator(_json_int)]
