"""Bodies of the exports API: what to export, the job as it runs, share links, verification, imports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from pydantic import Field, ValidationInfo, field_validator, model_validator

from cpl.evidence.schemas import IsoDate
from cpl.kernel.fields import JsonBool, JsonInt, Line
from cpl.kernel.periods import range_in_order
from cpl.kernel.schemas import Out, RequestModel

Format = Literal["json", "csv", "pdf", "credential", "bundle"]
CredentialForm = Literal["json", "jwt"]
Status = Literal["queued", "running", "done", "failed"]
Validity = Literal["valid", "revoked", "superseded"]

#: A selection naming more entries than this is refused: a whole record is exported by naming none.
MAX_SELECTED_ENTRIES = 10_000


class PeriodIn(RequestModel):
    """Entries that took place from ``from`` to ``to`` (both included; either may be left open)."""

    starts_on: IsoDate | None = Field(default=None, alias="from")
    ends_on: IsoDate | None = Field(default=None, alias="to")

    @model_validator(mode="after")
    def _in_order(self) -> PeriodIn:
        range_in_order(self.starts_on, self.ends_on)
        return self


class SelectionIn(RequestModel):
    """What goes into an export. Every part given narrows it; none given exports the whole record.

    ``registration_id`` selects the entries of that registration's current cycle (its
    ``cycle_start`` to ``renewal_date`` unless ``period`` says otherwise) and puts only that
    registration, with its progress against its requirement pack, on the cover.
    """

    period: PeriodIn | None = None
    framework_ids: Annotated[list[UUID], Field(max_length=50)] = Field(default_factory=list)
    registration_id: UUID | None = None
    entry_ids: Annotated[list[UUID], Field(max_length=MAX_SELECTED_ENTRIES)] = Field(default_factory=list)


class ExportOptionsIn(RequestModel):
    """How the file is written. Each option belongs to one format; giving it for another is refused (422)."""

    bom: JsonBool = Field(
        default=False,
        description=(
            "csv only: start the file with a UTF-8 byte-order mark, which some spreadsheet programs need to "
            "read UTF-8. Default false: plain UTF-8 (RFC 4180 rows), as scripts expect."
        ),
    )
    credential_form: CredentialForm = Field(
        default="json",
        description=(
            "credential only: `json` (default), the CLR 2.0 ClrCredential (W3C VC Data Model 2.0) with "
            "`eddsa-jcs-2022` Data Integrity proofs, file clr.json; `jwt`, the same credential as a VC-JWT "
            "(Open Badges 3.0 §8.2: compact JWS, alg EdDSA, kid the issuer key's DID URL as listed in "
            "/.well-known/jwks.json and did.json), file clr.jwt, media type application/jwt."
        ),
    )


class ExportIn(RequestModel):
    format: Format
    selection: SelectionIn = Field(default_factory=SelectionIn)
    options: ExportOptionsIn = Field(
        default_factory=ExportOptionsIn, description="How the file is written (bom for csv, credential_form)."
    )

    @field_validator("options")
    @classmethod
    def _options_fit_the_format(cls, options: ExportOptionsIn, info: ValidationInfo) -> ExportOptionsIn:
        export_format = info.data.get("format")
        if options.bom and export_format != "csv":
            raise ValueError("bom applies to the csv format only")
        if options.credential_form != "json" and export_format != "credential":
            raise ValueError("credential_form applies to the credential format only")
        return options


class ProgressOut(Out):
    #: Entries and files done, of ``total``.
    done: int
    total: int


class ExportOptionsOut(Out):
    bom: bool
    credential_form: str


class ExportOut(Out):
    id: UUID
    format: str
    selection: dict
    options: ExportOptionsOut
    status: str
    progress: ProgressOut
    #: Why a failed export failed.
    error: str
    size: int
    #: SHA-256 of the exported file.
    sha256: str
    signed_at: datetime | None
    kid: str
    revoked_at: datetime | None
    superseded_by: UUID | None
    created_at: datetime
    finished_at: datetime | None
    download_url: str | None
    verify_url: str


class ExportPage(Out):
    items: list[ExportOut]


class ShareIn(RequestModel):
    """A share link: it expires at ``expires_at``, or ``ttl_hours`` from now (default: the service's)."""

    expires_at: datetime | None = None
    ttl_hours: Annotated[JsonInt, Field(ge=1, le=24 * 366)] | None = None
    #: Asked of whoever opens the link (tell them separately, not beside the link).
    passcode: Line(128, min_length=6) | None = None
    #: Who the link is for, to recognise it in the list.
    label: Line(200) = ""

    @model_validator(mode="after")
    def _one_expiry(self) -> ShareIn:
        if self.expires_at is not None and self.ttl_hours is not None:
            raise ValueError("give expires_at or ttl_hours, not both")
        if self.expires_at is not None and self.expires_at.tzinfo is None:
            raise ValueError("expires_at must carry a time zone (Z or an offset)")
        return self


class PasscodeForm(RequestModel):
    """A share link's passcode, posted from a form (``application/x-www-form-urlencoded``)."""

    passcode: Line(128)


class AccessOut(Out):
    at: datetime
    address: str
    user_agent: str
    outcome: str


class ShareOut(Out):
    id: UUID
    export_id: UUID
    label: str
    expires_at: datetime
    revoked_at: datetime | None
    has_passcode: bool
    created_at: datetime
    accesses: list[AccessOut]


class ShareCreatedOut(ShareOut):
    #: The link to give out; shown once (only a hash of its token is kept).
    url: str


class IssuerOut(Out):
    name: str
    did: str
    url: str


class PeriodOut(Out):
    starts_on: date | None = msgspec.field(name="from", default=None)
    ends_on: date | None = msgspec.field(name="to", default=None)


class VerifierOut(Out):
    """Someone who verified entries the export carries, as the export carries it."""

    verifier_name: str
    verifier_role: str
    organisation_name: str
    #: Whether an operator had vetted the organisation when they verified.
    organisation_vetted: bool
    #: "vetted organisation" or "self-declared organisation".
    organisation_standing: str
    registration_number: str
    register: str
    #: "NMC 12A3456E (as given, not checked with the register)"; "" without a number.
    registration_shown_as: str
    #: How many of the export's verifications are theirs.
    verifications: int


class VerificationOut(Out):
    export_id: UUID
    #: ``valid``, or ``revoked`` / ``superseded`` (the file is still genuine, but withdrawn or replaced).
    status: Validity
    issuer: IssuerOut
    #: The worker's display name.
    subject: str
    period: PeriodOut
    format: str
    #: SHA-256 of the exported file: a copy whose digest differs is not this export.
    sha256: str
    size: int
    signed_at: datetime | None
    kid: str
    #: Compact JWS (EdDSA) over ``{export_id, format, sha256, size, signed_at}``, checkable with the JWKS.
    signature: str
    jwks_url: str
    revoked_at: datetime | None
    #: A newer export of the same selection exists. Which one is not said: the id would let anyone
    #: holding this (old) file find the newer one, which the worker never gave them.
    superseded: bool
    #: Who verified the entries it carries; organisations no operator had vetted are "self-declared
    #: organisation". Null for an export made before cpl recorded this (the file itself says).
    verifiers: list[VerifierOut] | None


class ImportOut(Out):
    """What an import did; importing the same record again reports everything unchanged."""

    entries_created: int
    entries_unchanged: int
    #: Entries whose id was taken by another account here: imported under a new id.
    entries_renumbered: int
    #: Entries already here with different content or deleted: left as they are.
    entries_kept: int
    attachments_stored: int
    attachments_unchanged: int
    #: Files the record names that a JSON record alone does not carry (send the bundle for them).
    attachments_not_in_upload: int
    competence_links_added: int
    #: Mappings to frameworks or items this service does not have.
    competence_links_skipped: int
    registrations_created: int
    registrations_kept: int
    peer_discussions_created: int
