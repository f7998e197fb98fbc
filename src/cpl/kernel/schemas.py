"""Base classes of request and response bodies.

Requests are pydantic models (validated, unknown fields refused); responses are msgspec
structs, which large answers (a progress report of thousands of entries) need to be built
and encoded in a few milliseconds.
"""

from __future__ import annotations

from typing import Any

import msgspec
from pydantic import BaseModel, ConfigDict, field_validator

from cpl.kernel.fields import control_character_paths


class RequestModel(BaseModel):
    """A request body: unknown fields are refused, so a misspelt field is never silently lost."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        """Every text, however nested, is free of control characters other than tabs and line breaks."""
        found = control_character_paths(value)
        if found:
            inside = [path for path in found if path != "body"]
            raise ValueError("must not contain control characters" + (f" (in {', '.join(inside)})" if inside else ""))
        return value


class Out(msgspec.Struct, kw_only=True, gc=False):
    """A response body (never part of a reference cycle, so kept out of the garbage collector's
    sight: a progress report builds thousands of them)."""


#: Route ``opt`` key: the media types a route's success answer has when it is not (only) JSON —
#: downloads, HTML pages — as a tuple; ``application/json`` among them keeps the JSON schema.
ANSWER_MEDIA_TYPES = "answer_media_types"
#: Route ``opt`` key: the media types of a request body a route reads itself (uploads), as a tuple.
BODY_MEDIA_TYPES = "body_media_types"
