"""Domain errors. Services raise these; :mod:`cpl.problems` turns them into RFC 9457 responses.

Each error carries a plain-language ``detail`` for the person using the app and, for
invalid input, the offending fields.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError


class CplError(Exception):
    """Base of every error a request can end in on purpose (never a 500)."""

    title = "Request failed"
    #: The problem type (RFC 9457 §3.1.1): ``about:blank`` unless a client can act on this kind.
    type = "about:blank"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


class InvalidInput(CplError):
    title = "Invalid input"


def invalid_field(field: str, message: str) -> InvalidInput:
    """A refusal of one field: the detail reads ``field: message.`` and ``errors`` names it."""
    return InvalidInput(f"{field}: {message}.", errors=[{"field": field, "message": message}])


def invalid_input_from(error: ValidationError, prefix: str = "") -> InvalidInput:
    """Name each offending field of a failed validation, as the API's clients see them."""
    fields = [
        {
            "field": prefix + ".".join(str(part) for part in item["loc"]) if item["loc"] else prefix or "body",
            "message": item["msg"],
        }
        for item in error.errors()
    ]
    return InvalidInput("Some fields are invalid; see `errors`.", errors=fields)


class MalformedRequest(CplError):
    title = "Malformed request"


class NotAuthenticated(CplError):
    title = "Not authenticated"


class NotAllowed(CplError):
    """The caller may know the record exists but may not do this to it."""

    title = "Not allowed"


class EmailNotVerified(NotAllowed):
    """The account has not confirmed its e-mail address, and the action needs it (issue 14, item 1)."""

    title = "E-mail address not verified"


class SecondFactorRequired(NotAllowed):
    """The caller may do this only from a session opened with a confirmed second factor (issue 14)."""

    title = "Second factor required"
    type = "urn:cpl:problem:second-factor-required"


class PasscodeRefused(NotAllowed):
    """A share link needs its passcode, and none or a wrong one came."""


class NotFound(CplError):
    """Absent, or not the caller's to know about: the two are never told apart."""

    title = "Not found"


class Gone(CplError):
    title = "Deleted"


class Conflict(CplError):
    title = "Conflict"


class PreconditionFailed(CplError):
    title = "Precondition failed"


class PreconditionRequired(CplError):
    title = "Precondition required"


class TooManyAttempts(CplError):
    title = "Too many attempts"


class Overloaded(CplError):
    """Too much costly work (password hashing) is waiting already; retrying later is safe."""

    title = "Busy"


class DatabaseUnavailable(CplError):
    title = "Database unavailable"


class TooLarge(CplError):
    """A file bigger than the limit, or one that would take a worker past their storage quota."""

    title = "Too large"


class UnsupportedType(CplError):
    """A file whose bytes are not one of the accepted types (whatever its name or declared type says)."""

    title = "Unsupported file type"


class StorageUnavailable(CplError):
    """The object store did not answer in time or failed; nothing was changed, so retrying is safe."""

    title = "Storage unavailable"


class SignatureInvalid(CplError):
    """A signed document or token that does not verify: unknown key, wrong algorithm, altered bytes."""

    title = "Signature invalid"
