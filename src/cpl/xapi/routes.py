"""HTTP routes: LRS credentials and CSV uploads (admins), consents, suggestions and xAPI out (workers)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, MediaType, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody

from cpl import audit
from cpl.errors import MalformedRequest
from cpl.kernel.principal import AuthedRequest
from cpl.kernel.schemas import BODY_MEDIA_TYPES
from cpl.organisations.guards import admins_use_second_factor
from cpl.problems import problem_responses
from cpl.settings import Settings
from cpl.xapi import consents, credentials, csv_upload, outgoing, suggestions
from cpl.xapi.schemas import (
    ConsentOut,
    LrsCredentialIn,
    LrsCredentialOut,
    NewLrsCredentialOut,
    StatementResultOut,
    SuggestionOut,
    TrainingUploadOut,
)


def _credential_out(row: dict[str, Any]) -> LrsCredentialOut:
    return LrsCredentialOut(
        id=row["id"], key=row["key"], label=row["label"], created_at=row["created_at"], revoked_at=row["revoked_at"]
    )


class LrsCredentialController(Controller):
    path = "/v1/organisations/{organisation_id:uuid}/lrs-credentials"
    tags = ["xapi"]
    guards = [admins_use_second_factor]

    @post("", operation_id="createLrsCredential", status_code=201, responses=problem_responses(400, 401, 403, 404, 422))
    async def create(
        self,
        request: AuthedRequest,
        organisation_id: FromPath[UUID],
        data: JSONBody[LrsCredentialIn],
        settings: NamedDependency[Settings],
    ) -> NewLrsCredentialOut:
        """Issue HTTP Basic credentials for the organisation's learning system (its admins only).
        The secret is in this answer only: cpl keeps its hash."""
        row = await credentials.create(request.user.account_id, organisation_id, data.label)
        await audit.record(request, "lrs_credential.created", object=f"lrs_credential:{row['id']}")
        return NewLrsCredentialOut(
            id=row["id"],
            key=row["key"],
            label=row["label"],
            created_at=row["created_at"],
            revoked_at=None,
            secret=row["secret"],
            endpoint=settings.public_base_url.rstrip("/") + "/xapi/",
        )

    @get("", operation_id="listLrsCredentials", responses=problem_responses(401, 403, 404))
    async def list_all(self, request: AuthedRequest, organisation_id: FromPath[UUID]) -> list[LrsCredentialOut]:
        """The organisation's LRS credentials, revoked ones too, without their secrets (its admins only)."""
        rows = await credentials.list_for(request.user.account_id, organisation_id)
        return [_credential_out(row) for row in rows]

    @delete(
        "/{credential_id:uuid}",
        operation_id="revokeLrsCredential",
        status_code=204,
        responses=problem_responses(401, 403, 404),
    )
    async def revoke(
        self, request: AuthedRequest, organisation_id: FromPath[UUID], credential_id: FromPath[UUID]
    ) -> None:
        """Revoke a credential: the learning system's next request with it answers 401 (its admins only)."""
        await credentials.revoke(request.user.account_id, organisation_id, credential_id)
        await audit.record(request, "lrs_credential.revoked", object=f"lrs_credential:{credential_id}")


class TrainingRecordController(Controller):
    path = "/v1/organisations/{organisation_id:uuid}/training-records"
    tags = ["xapi"]
    guards = [admins_use_second_factor]

    @post(
        "",
        operation_id="uploadTrainingRecords",
        status_code=200,
        opt={BODY_MEDIA_TYPES: ("text/csv",)},
        responses=problem_responses(400, 401, 403, 404, 413, 422),
    )
    async def upload(self, request: AuthedRequest, organisation_id: FromPath[UUID]) -> TrainingUploadOut:
        """Suggest completed training to consenting members from a CSV file (its admins only).

        Columns (header row, any order): ``email``, ``title``, ``date`` (YYYY-MM-DD), and optionally
        ``duration_minutes``, ``activity_type``, ``description``. All or nothing: bad rows answer
        422 and rows naming people who have not agreed answer 403, each named by its line number."""
        try:
            text = (await request.body()).decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedRequest("The file is not UTF-8 text.") from None
        counts = await csv_upload.upload(request.user.account_id, organisation_id, text)
        return TrainingUploadOut(**counts)


def _consent_out(row: dict[str, Any]) -> ConsentOut:
    return ConsentOut(
        organisation_id=row["organisation"], organisation_name=row["organisation_name"], given_at=row["given_at"]
    )


class SuggestionConsentController(Controller):
    path = "/v1/me/suggestion-consents"
    tags = ["xapi"]

    @get("", operation_id="listSuggestionConsents", responses=problem_responses(401))
    async def list_mine(self, request: AuthedRequest) -> list[ConsentOut]:
        """The organisations I agreed to receive suggested entries from."""
        return [_consent_out(row) for row in await consents.list_mine(request.user.account_id)]

    @put(
        "/{organisation_id:uuid}",
        operation_id="giveSuggestionConsent",
        status_code=200,
        responses={
            201: ResponseSpec(generate_examples=False, data_container=ConsentOut, description="Agreed now"),
            **problem_responses(401, 404),
        },
    )
    async def give(self, request: AuthedRequest, organisation_id: FromPath[UUID]) -> Response[ConsentOut]:
        """Agree to receive suggested entries from an organisation I belong to (201; 200 if I had agreed)."""
        created, row = await consents.give(request.user.account_id, organisation_id)
        if created:
            subject = request.user.account_id
            await audit.record(
                request, "suggestion_consent.given", subject=subject, object=f"organisation:{organisation_id}"
            )
        return Response(_consent_out(row), status_code=201 if created else 200)

    @delete(
        "/{organisation_id:uuid}",
        operation_id="withdrawSuggestionConsent",
        status_code=204,
        responses=problem_responses(401),
    )
    async def withdraw(self, request: AuthedRequest, organisation_id: FromPath[UUID]) -> None:
        """Stop receiving suggestions from the organisation; those waiting stay mine to accept or reject."""
        await consents.withdraw(request.user.account_id, organisation_id)
        subject = request.user.account_id
        await audit.record(
            request, "suggestion_consent.withdrawn", subject=subject, object=f"organisation:{organisation_id}"
        )


def _suggestion_out(row: dict[str, Any]) -> SuggestionOut:
    return SuggestionOut(
        id=row["id"],
        organisation_id=row["organisation"],
        organisation_name=row["organisation_name"],
        title=row["title"],
        occurred_on=row["occurred_on"],
        ended_on=row["ended_on"],
        duration_minutes=row["duration_minutes"],
        activity_type=row["activity_type"],
        description=row["description"],
        source=row["source_key"].split(":", 1)[0],
        created_at=row["created_at"],
    )


class SuggestionController(Controller):
    path = "/v1/me/suggestions"
    tags = ["xapi"]

    @get("", operation_id="listSuggestions", responses=problem_responses(401))
    async def waiting(self, request: AuthedRequest) -> list[SuggestionOut]:
        """Entries my organisations suggest, waiting for me, newest first. Accept one by saving an
        entry with the suggestion's id (``PUT /v1/evidence/{id}``, or a batch)."""
        return [_suggestion_out(row) for row in await suggestions.waiting(request.user.account_id)]

    @post(
        "/{suggestion_id:uuid}/reject",
        operation_id="rejectSuggestion",
        status_code=204,
        responses=problem_responses(401, 404, 409),
    )
    async def reject(self, request: AuthedRequest, suggestion_id: FromPath[UUID]) -> None:
        """Reject a suggestion: it never comes back, even if the organisation sends it again."""
        await suggestions.reject(request.user.account_id, suggestion_id)


class MyXapiController(Controller):
    path = "/v1/me/xapi/statements"
    tags = ["xapi"]

    @get("", operation_id="exportMyXapiStatements", responses=problem_responses(401))
    async def statements(
        self, request: AuthedRequest, settings: NamedDependency[Settings]
    ) -> Response[StatementResultOut]:
        """My entries as xAPI statements (a StatementResult), for an LRS of my own or my employer's."""
        document = await outgoing.statements_of(settings.public_base_url, request.user)
        return Response(document, media_type=MediaType.JSON)
