"""Request and response bodies of erasure (``DELETE /v1/me``, ``GET /v1/erasures/{id}``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, StringConstraints

from cpl.accounts.second_factor_schemas import Code, RecoveryCodeText, SecondFactorProofIn
from cpl.kernel.schemas import RequestModel


class ErasureIn(RequestModel):
    """The password; a code (or a recovery code) when the second factor is on; and ``confirm``
    set to ``erase my account``."""

    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    code: Code | None = None
    recovery_code: RecoveryCodeText | None = None
    confirm: Annotated[str, StringConstraints(max_length=100)]

    def proof(self) -> SecondFactorProofIn | None:
        if self.code is None and self.recovery_code is None:
            return None
        if self.code is not None:
            return SecondFactorProofIn(code=self.code)
        return SecondFactorProofIn(recovery_code=self.recovery_code)


class ErasureOut(BaseModel):
    """``queued``: the account is closed, the erasure not yet done; ``files``: the database holds
    nothing more, stored files are being deleted; ``done``."""

    id: UUID
    status: str
    requested_at: datetime
    finished_at: datetime | None
    status_url: str

    @classmethod
    def of(cls, row: dict[str, Any]) -> ErasureOut:
        return cls(**row, status_url=f"/v1/erasures/{row['id']}")
