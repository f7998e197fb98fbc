"""Authorization proven route by route (issue 6, item 6).

One world is built through the API: a worker (the *owner*) with an entry, its file, a
registration and the rest; another worker of the same employer; a supervisor of the owner's
with whom the owner shares the entry, and a second supervisor of the owner's with no share;
the employer's own admin; an admin of another employer; a regulator's auditor; and an
anonymous caller. Every route of the app (every path and method, HEAD/OPTIONS and the
``/schema`` documents aside) is called as each of them, and the answer must be the one in
:data:`MATRIX`. A route missing from the matrix fails the test by name: a new route is
covered by adding one row.

Expectations, one per caller in :data:`CALLERS` order: ``ok`` (the row's success status:
200 unless the row says otherwise), or the status of the refusal: 404 where the caller may not
know the record exists, 403 where they may but may not do this, 401 without a token, 422 for a
request the caller may make but not with these ids (sharing with a stranger).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from cpl.app import create_app
from tests.attachments import corpus
from tests.factories import PASSWORD, entry_body
from tests.organisations.helpers import account, join, organisation, share, supervise
from tests.push.endpoint import Device

CALLERS = (
    "owner",
    "other_worker",
    "supervisor_shared",
    "supervisor_unshared",
    "org_admin",
    "other_admin",
    "auditor",
    "anonymous",
)


@dataclass
class Row:
    #: One expectation per caller, in :data:`CALLERS` order.
    expect: str
    #: The status every caller marked ``ok`` gets.
    ok: int = 200
    #: The JSON body: a dict, or a function of the world.
    body: Any = None
    #: Extra headers (a function of the world).
    headers: Callable[[World], dict] | None = None
    #: Query parameters (a function of the world).
    params: Callable[[World], dict] | None = None
    #: Run each caller on a world of its own (the call changes what other rows rely on).
    fresh: bool = False
    #: Called with (client, world) before the route, on a fresh world.
    prepare: Callable | None = None
    #: Path parameters that mean something else on this route (a function of the world).
    ids: Callable[[World], dict] | None = None
    #: A body that is not JSON: (media type, a function of the world giving its text).
    content: tuple[str, Callable[[World], str]] | None = None


@dataclass
class World:
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    entry: dict = field(default_factory=dict)


def _new_entry(_: World) -> dict:
    return entry_body()


def _slot(world: World) -> dict:
    data = corpus.jpeg()
    return {
        "entry_id": world.ids["entry_id"],
        "filename": "photo.jpg",
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "media_type": "image/jpeg",
    }


def _registration(_: World) -> dict:
    return {
        "register": "nmc",
        "registration_number": "REG-1",
        "part": "nurse",
        "cycle_start": "2024-01-01",
        "renewal_date": "2027-01-01",
    }


async def _answer_audit_request(client, world: World) -> None:
    response = await client.post(
        f"/v1/me/audit-requests/{world.ids['audit_request_id']}/answer",
        json={"export_id": world.ids["export_id"]},
        headers=world.tokens["owner"],
    )
    assert response.status_code == 200, response.text


def _audit_request(world: World) -> dict:
    return {
        "organisation_id": world.ids["regulator_id"],
        "email": world.ids["owner_email"],
        "register": "nmc",
        "period": {"from": "2024-01-01", "to": "2025-12-31"},
        "deadline": "2099-01-01",
    }


async def _request_changes(client, world: World) -> None:
    response = await client.post(
        f"/v1/reviews/{world.ids['review_id']}/request-changes",
        json={"body": "Add more detail."},
        headers=world.tokens["supervisor_shared"],
    )
    assert response.status_code == 200, response.text


def _statement(world: World) -> dict:
    return {
        "actor": {"mbox": f"mailto:{world.ids['owner_email']}"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": "https://lms.example.org/courses/fire-safety"},
    }


def _xapi(world: World) -> dict:
    return {"X-Experience-API-Version": "1.0.3"}


SAME = "ok ok ok ok ok ok ok 401"
PUBLIC = "ok ok ok ok ok ok ok ok"
OWNER_ONLY = "ok 404 404 404 404 404 404 401"
MEMBERS = "ok ok ok ok ok 404 404 401"
ADMIN_ONLY = "403 403 403 403 ok 404 404 401"
SHARED_ONLY = "404 404 ok 404 404 404 404 401"
REVIEWER = "403 404 ok 404 404 404 404 401"
WORKER_STEP = "ok 404 403 404 404 404 404 401"
REVIEW_PARTIES = "ok 404 ok 404 404 404 404 401"
OPERATOR_ONLY = "403 403 403 403 403 403 403 401"
AUDITOR_ONLY = "404 404 404 404 404 404 ok 401"

MATRIX: dict[tuple[str, str], Row] = {
    ("GET", "/health"): Row("ok ok ok ok ok ok ok ok"),
    ("GET", "/health/live"): Row("ok ok ok ok ok ok ok ok"),
    ("GET", "/health/ready"): Row("ok ok ok ok ok ok ok ok"),
    # Off unless CPL_METRICS_TOKEN is set (tests/observability); then only that token opens it.
    ("GET", "/metrics"): Row("404 404 404 404 404 404 404 404"),
    # The web app's files and screens are public; what they show comes from the API (issue 13).
    ("GET", "/"): Row("ok ok ok ok ok ok ok ok", ok=302),
    ("GET", "/app"): Row("ok ok ok ok ok ok ok ok", ok=308),
    ("GET", "/app/{file_path}"): Row("ok ok ok ok ok ok ok ok", ids=lambda _: {"file_path": "entries"}),
    ("POST", "/v1/auth/register"): Row(
        "ok ok ok ok ok ok ok ok",
        ok=202,
        body=lambda w: {
            "email": f"n{uuid.uuid4().hex[:8]}@example.org",
            "password": "a long enough password",
            "display_name": "New",
        },
    ),
    ("POST", "/v1/auth/login"): Row(
        "401 401 401 401 401 401 401 401",
        body=lambda w: {"email": f"n{uuid.uuid4().hex[:8]}@example.org", "password": "a long enough password"},
    ),
    ("POST", "/v1/auth/login/second-factor"): Row(
        "401 401 401 401 401 401 401 401", body={"challenge": "not a challenge", "code": "000000"}
    ),
    ("POST", "/v1/auth/logout"): Row(SAME, ok=204, fresh=True),
    # E-mail ownership (issue 14): public requests answer alike for every caller and address.
    ("POST", "/v1/auth/password-reset"): Row(
        "ok ok ok ok ok ok ok ok", ok=202, body=lambda w: {"email": f"n{uuid.uuid4().hex[:8]}@example.org"}
    ),
    # Every account of the world has confirmed its address already.
    ("POST", "/v1/me/email-verification"): Row("409 409 409 409 409 409 409 401"),
    ("POST", "/v1/me/email"): Row(
        SAME, ok=202, body=lambda w: {"email": f"n{uuid.uuid4().hex[:8]}@example.org", "password": PASSWORD}
    ),
    # A wrong current password: refused for everyone signed in, and nothing changes.
    ("POST", "/v1/me/password"): Row(
        "403 403 403 403 403 403 403 401",
        body={"current_password": "not the password", "new_password": "a new long password"},
    ),
    # The pages links in mail open: public; with no token they say the link is not known.
    ("GET", "/account/confirm-email"): Row("404 404 404 404 404 404 404 404"),
    ("POST", "/account/confirm-email"): Row("404 404 404 404 404 404 404 404"),
    ("GET", "/account/reset-password"): Row("404 404 404 404 404 404 404 404"),
    ("POST", "/account/reset-password"): Row("404 404 404 404 404 404 404 404"),
    ("GET", "/account/forgot-password"): Row("ok ok ok ok ok ok ok ok"),
    ("POST", "/account/forgot-password"): Row("422 422 422 422 422 422 422 422"),
    ("GET", "/invitations/accept"): Row("404 404 404 404 404 404 404 404"),
    ("POST", "/invitations/accept"): Row("404 404 404 404 404 404 404 404"),
    ("GET", "/v1/me"): Row(SAME),
    ("GET", "/v1/me/sessions"): Row(SAME),
    # Audit (issue 16): each caller reads the accesses to their own record; checkpoints are public.
    ("GET", "/v1/me/access-log"): Row(SAME),
    ("GET", "/v1/audit/checkpoints"): Row(PUBLIC),
    # The second factor (issue 14): admins and supervisors have one (the world's helpers enrol them);
    # the rows run in path order, so the workers and the auditor enrol one (pending) before confirming.
    ("GET", "/v1/me/second-factor"): Row(SAME),
    ("POST", "/v1/me/second-factor"): Row("ok ok 409 409 409 409 ok 401", ok=201),
    ("POST", "/v1/me/second-factor/confirm"): Row("422 422 409 409 409 409 422 401", body={"code": "000000"}),
    ("POST", "/v1/me/second-factor/recovery-codes"): Row(
        "404 404 422 422 422 422 404 401", body={"recovery_code": "aaaaa-aaaaa"}
    ),
    ("POST", "/v1/me/second-factor/disable"): Row(
        "404 404 422 422 422 422 404 401", body={"password": "not the password", "recovery_code": "aaaaa-aaaaa"}
    ),
    ("DELETE", "/v1/me/sessions/{session_id}"): Row(OWNER_ONLY, ok=204, fresh=True),
    ("GET", "/v1/evidence"): Row(SAME),
    ("POST", "/v1/evidence"): Row(SAME, ok=201, body=_new_entry),
    ("POST", "/v1/evidence/batch"): Row(SAME, body=lambda w: {"entries": [{**entry_body(), "id": str(uuid.uuid4())}]}),
    ("GET", "/v1/evidence/{entry_id}"): Row(OWNER_ONLY),
    ("PUT", "/v1/evidence/{entry_id}"): Row(OWNER_ONLY, body=lambda w: w.entry),
    ("PATCH", "/v1/evidence/{entry_id}"): Row(
        OWNER_ONLY, body={"tags": ["changed"]}, headers=lambda w: {"If-Match": '"1"'}, fresh=True
    ),
    ("DELETE", "/v1/evidence/{entry_id}"): Row(OWNER_ONLY, ok=204, fresh=True),
    ("GET", "/v1/sync"): Row(SAME),
    ("GET", "/v1/evidence/{entry_id}/attachments"): Row(OWNER_ONLY),
    ("POST", "/v1/evidence/{entry_id}/attachments"): Row(OWNER_ONLY, ok=201, fresh=True),
    ("PUT", "/v1/evidence/{entry_id}/attachments/{attachment_id}"): Row(OWNER_ONLY),
    ("DELETE", "/v1/evidence/{entry_id}/attachments/{attachment_id}"): Row(OWNER_ONLY, ok=204, fresh=True),
    ("GET", "/v1/attachments/{attachment_id}"): Row(OWNER_ONLY),
    ("GET", "/v1/attachments/{attachment_id}/content"): Row(OWNER_ONLY),
    ("GET", "/v1/attachments/{attachment_id}/thumbnail"): Row(OWNER_ONLY),
    ("POST", "/v1/uploads"): Row(OWNER_ONLY, ok=201, body=_slot),
    ("POST", "/v1/uploads/{slot_id}/complete"): Row(OWNER_ONLY),
    # Authorised by the URL's expiring signature, which none of these calls carries.
    ("PUT", "/v1/storage/uploads/{name}"): Row("400 400 400 400 400 400 400 400"),
    ("GET", "/v1/frameworks"): Row(SAME),
    ("GET", "/v1/frameworks/{framework_id}"): Row(SAME),
    ("POST", "/v1/frameworks/import"): Row(OPERATOR_ONLY),
    ("GET", "/v1/competences"): Row(SAME, params=lambda w: {"q": "safety"}),
    ("GET", "/v1/evidence/{entry_id}/competences"): Row(OWNER_ONLY),
    ("PUT", "/v1/evidence/{entry_id}/competences"): Row(OWNER_ONLY, body={"links": []}, fresh=True),
    ("GET", "/v1/me/coverage"): Row(SAME, params=lambda w: {"framework": w.ids["framework_id"]}),
    # CASE 1.0: frameworks are public documents (issue 17).
    ("GET", "/ims/case/v1p0/CFPackages/{reference}"): Row(PUBLIC),
    ("GET", "/ims/case/v1p0/CFDocuments/{reference}"): Row(PUBLIC),
    ("GET", "/ims/case/v1p0/CFItems/{identifier}"): Row(PUBLIC, ids=lambda w: {"identifier": w.ids["case_item"]}),
    ("GET", "/ims/case/v1p0/CFAssociations/{identifier}"): Row(
        PUBLIC, ids=lambda w: {"identifier": w.ids["case_association"]}
    ),
    ("GET", "/v1/requirement-packs"): Row(SAME),
    ("GET", "/v1/me/registrations"): Row(SAME),
    ("GET", "/v1/me/registrations/{registration_id}"): Row(OWNER_ONLY),
    ("PUT", "/v1/me/registrations/{registration_id}"): Row(OWNER_ONLY, body=_registration),
    ("DELETE", "/v1/me/registrations/{registration_id}"): Row(OWNER_ONLY, ok=204, fresh=True),
    ("GET", "/v1/me/registrations/{registration_id}/audit-profile"): Row(OWNER_ONLY),
    ("GET", "/v1/me/registrations/{registration_id}/gap-explanations"): Row(OWNER_ONLY),
    ("PUT", "/v1/me/registrations/{registration_id}/gap-explanations/{explanation_id}"): Row(
        OWNER_ONLY, body={"starts_on": "2025-01-01", "ends_on": "2025-02-01", "reason": "Leave"}
    ),
    ("DELETE", "/v1/me/registrations/{registration_id}/gap-explanations/{explanation_id}"): Row(
        OWNER_ONLY, ok=204, fresh=True
    ),
    ("GET", "/v1/me/progress"): Row(SAME),
    ("GET", "/v1/evidence/{entry_id}/peer-discussion"): Row(OWNER_ONLY),
    ("PUT", "/v1/evidence/{entry_id}/peer-discussion"): Row(OWNER_ONLY, body={"name": "Pat Peer", "pin": "98Y1234E"}),
    ("DELETE", "/v1/evidence/{entry_id}/peer-discussion"): Row(OWNER_ONLY, ok=204, fresh=True),
    ("GET", "/.well-known/did.json"): Row(PUBLIC),
    ("GET", "/.well-known/jwks.json"): Row(PUBLIC),
    ("POST", "/v1/admin/issuer-keys"): Row(OPERATOR_ONLY),
    # Vetting organisations (issue 14): operators only, whatever roles one holds in the organisation.
    ("GET", "/v1/operator/organisations"): Row(OPERATOR_ONLY),
    ("GET", "/v1/operator/organisations/{organisation_id}"): Row(OPERATOR_ONLY),
    ("POST", "/v1/operator/organisations/{organisation_id}/vet"): Row(OPERATOR_ONLY, body={"note": "Checked."}),
    ("POST", "/v1/operator/organisations/{organisation_id}/unvet"): Row(OPERATOR_ONLY, body={"note": "Checked."}),
    # Organisations (issue 6)
    ("POST", "/v1/organisations"): Row(SAME, ok=201, body={"name": "Another employer", "kind": "employer"}),
    ("GET", "/v1/organisations"): Row(SAME),
    ("GET", "/v1/organisations/{organisation_id}"): Row(MEMBERS),
    ("POST", "/v1/organisations/{organisation_id}/leave"): Row("ok ok ok ok 403 404 404 401", ok=204, fresh=True),
    ("GET", "/v1/organisations/{organisation_id}/members"): Row(ADMIN_ONLY),
    ("DELETE", "/v1/organisations/{organisation_id}/members/{account_id}"): Row(ADMIN_ONLY, ok=204, fresh=True),
    ("PUT", "/v1/organisations/{organisation_id}/members/{account_id}/roles"): Row(
        ADMIN_ONLY, body={"roles": ["worker", "supervisor"]}, fresh=True
    ),
    ("GET", "/v1/organisations/{organisation_id}/invitations"): Row(ADMIN_ONLY),
    ("POST", "/v1/organisations/{organisation_id}/invitations"): Row(
        ADMIN_ONLY, ok=201, body={"email": "new.person@example.org", "role": "worker"}
    ),
    ("GET", "/v1/invitations"): Row(SAME),
    ("POST", "/v1/invitations/{invitation_id}/accept"): Row(OWNER_ONLY, fresh=True),
    ("POST", "/v1/invitations/{invitation_id}/decline"): Row(OWNER_ONLY, ok=204, fresh=True),
    ("GET", "/v1/organisations/{organisation_id}/supervision-links"): Row(ADMIN_ONLY),
    ("POST", "/v1/organisations/{organisation_id}/supervision-links"): Row(
        ADMIN_ONLY,
        ok=201,
        body=lambda w: {"supervisor_id": w.ids["supervisor_unshared_id"], "worker_id": w.ids["other_worker_id"]},
        fresh=True,
    ),
    ("DELETE", "/v1/organisations/{organisation_id}/supervision-links/{link_id}"): Row(ADMIN_ONLY, ok=204, fresh=True),
    ("GET", "/v1/me/supervision"): Row(SAME),
    # The workforce view (issue 15): the organisation's admins only.
    ("GET", "/v1/organisations/{organisation_id}/workforce"): Row(ADMIN_ONLY),
    ("GET", "/v1/organisations/{organisation_id}/workforce.csv"): Row(ADMIN_ONLY),
    # Sharing (issue 6)
    ("POST", "/v1/shares"): Row(
        "ok 422 422 422 422 422 422 401",
        ok=201,
        body=lambda w: {
            "organisation_id": w.ids["organisation_id"],
            "supervisor_id": w.ids["supervisor_shared_id"],
            "entry_ids": [w.ids["entry_id"]],
        },
    ),
    ("GET", "/v1/shares"): Row(SAME),
    ("GET", "/v1/shares/{share_id}"): Row(OWNER_ONLY),
    ("DELETE", "/v1/shares/{share_id}"): Row(OWNER_ONLY, ok=204, fresh=True),
    ("GET", "/v1/shared/workers"): Row(SAME),
    ("GET", "/v1/shared/workers/{worker_id}/evidence"): Row(SHARED_ONLY),
    ("GET", "/v1/shared/evidence/{entry_id}"): Row(SHARED_ONLY),
    # Issue 15: a file of a shared entry, through the short-lived link signed for its viewer (no token).
    ("GET", "/v1/shared/files/{link}"): Row("ok ok ok ok ok ok ok ok"),
    # Reviews and notifications (issue 6)
    ("POST", "/v1/reviews"): Row(
        OWNER_ONLY,
        ok=201,
        body=lambda w: {
            "entry_id": w.ids["second_entry_id"],
            "reviewer_id": w.ids["supervisor_shared_id"],
            "organisation_id": w.ids["organisation_id"],
        },
        fresh=True,
    ),
    ("GET", "/v1/reviews"): Row(SAME),
    ("GET", "/v1/reviews/submitted"): Row(SAME),
    ("GET", "/v1/reviews/{review_id}"): Row(REVIEW_PARTIES),
    ("POST", "/v1/reviews/{review_id}/comments"): Row(REVIEW_PARTIES, body={"body": "A comment."}),
    ("POST", "/v1/reviews/{review_id}/request-changes"): Row(REVIEWER, body={"body": "Add detail."}, fresh=True),
    ("POST", "/v1/reviews/{review_id}/verify"): Row(
        REVIEWER, body={"statement": "I confirm this took place."}, fresh=True
    ),
    ("POST", "/v1/reviews/{review_id}/resubmit"): Row(
        WORKER_STEP, body={"body": "Done."}, fresh=True, prepare=_request_changes
    ),
    ("POST", "/v1/reviews/{review_id}/withdraw"): Row(WORKER_STEP, fresh=True),
    ("GET", "/v1/evidence/{entry_id}/verifications"): Row(OWNER_ONLY),
    ("GET", "/v1/team"): Row(SAME),
    ("GET", "/v1/notifications"): Row(SAME),
    ("POST", "/v1/notifications/{notification_id}/read"): Row(OWNER_ONLY),
    # Reminders and the calendar feed (issue 19): each caller's own settings and feed; the feed's
    # secret address is public (whoever holds it reads it, as a calendar app does).
    ("GET", "/v1/me/reminder-settings"): Row(SAME),
    ("PUT", "/v1/me/reminder-settings"): Row(
        SAME,
        body={
            "days_before": [30],
            "email": True,
            "in_app": False,
            "time_zone": "Europe/Dublin",
            "quiet_from": "22:00",
            "quiet_until": "07:00",
        },
    ),
    ("POST", "/v1/me/calendar-feed"): Row(SAME, ok=201),
    ("DELETE", "/v1/me/calendar-feed"): Row("ok 404 404 404 404 404 404 401", ok=204, fresh=True),
    ("GET", "/calendar/{feed}"): Row("ok ok ok ok ok ok ok ok"),
    # Web Push (issue 19): the VAPID key is public; each device's subscription is its subscriber's alone.
    ("GET", "/v1/push/key"): Row(PUBLIC),
    ("POST", "/v1/me/push-subscriptions"): Row(SAME, ok=201, body=lambda _: _push_subscription()),
    ("GET", "/v1/me/push-subscriptions"): Row(SAME),
    ("DELETE", "/v1/me/push-subscriptions/{subscription_id}"): Row(OWNER_ONLY, ok=204),
    # Exports (issue 7)
    ("GET", "/v1/exports"): Row(SAME),
    ("POST", "/v1/exports"): Row(SAME, ok=202, body={"format": "json"}),
    ("GET", "/v1/exports/{export_id}"): Row(OWNER_ONLY),
    ("GET", "/v1/exports/{export_id}/download"): Row(OWNER_ONLY),
    ("POST", "/v1/exports/{export_id}/revoke"): Row(OWNER_ONLY, fresh=True),
    ("GET", "/v1/exports/{export_id}/shares"): Row(OWNER_ONLY),
    ("POST", "/v1/exports/{export_id}/shares"): Row(OWNER_ONLY, ok=201, body={"label": "For my manager"}),
    ("DELETE", "/v1/exports/{export_id}/shares/{share_id}"): Row(
        OWNER_ONLY, ok=204, fresh=True, ids=lambda w: {"share_id": w.ids["export_share_id"]}
    ),
    # Anyone signed in may import into their own account; this body is no portable record.
    ("POST", "/v1/imports"): Row("422 422 422 422 422 422 422 401", body={"not": "a record"}),
    ("GET", "/v1/schemas/portable-record-1.json"): Row("ok ok ok ok ok ok ok ok"),
    ("GET", "/verify/{export_id}"): Row("ok ok ok ok ok ok ok ok"),
    ("GET", "/shared/{token}"): Row("ok ok ok ok ok ok ok ok"),
    # The passcode form's POST: public; this link has no passcode, the JSON body is no form.
    ("POST", "/shared/{token}"): Row("422 422 422 422 422 422 422 422", body={"passcode": "not a form"}),
    # The person's rights (issue 16): erasing one's own account (a second factor, where on, is
    # asked for: 422 without it), its public status by id, and one's own copy of one's data.
    ("DELETE", "/v1/me"): Row(
        "ok ok 422 422 422 422 ok 401", ok=202, fresh=True, body={"password": PASSWORD, "confirm": "erase my account"}
    ),
    ("GET", "/v1/erasures/{erasure_id}"): Row(
        "404 404 404 404 404 404 404 404", ids=lambda _: {"erasure_id": str(uuid.uuid4())}
    ),
    ("POST", "/v1/me/data-export"): Row(SAME, ok=202),
    ("GET", "/v1/me/data-export"): Row(SAME),
    ("GET", "/v1/me/data-export/{export_id}"): Row(OWNER_ONLY, ids=lambda w: {"export_id": w.ids["data_export_id"]}),
    ("GET", "/v1/me/data-export/{export_id}/download"): Row(
        OWNER_ONLY, ids=lambda w: {"export_id": w.ids["data_export_id"]}
    ),
    # Issue 15: a shared portfolio's export and files need the pass cookie of a browser that opened
    # the link; a bearer token is no such pass, whoever holds it.
    ("GET", "/shared/{token}/export"): Row("403 403 403 403 403 403 403 403"),
    ("GET", "/shared/{token}/files/{attachment_id}"): Row(
        "403 403 403 403 403 403 403 403", ids=lambda w: {"attachment_id": "00000000-0000-4000-8000-000000000000"}
    ),
    ("GET", "/pages/{file_path}"): Row("ok ok ok ok ok ok ok ok", ids=lambda w: {"file_path": "page.css"}),
    # Audit requests (issue 15): the regulator's auditors on one side, the worker asked on the other.
    ("POST", "/v1/audit-requests"): Row(AUDITOR_ONLY, ok=201, body=_audit_request),
    ("GET", "/v1/audit-requests"): Row(SAME),
    ("GET", "/v1/audit-requests/{audit_request_id}"): Row(AUDITOR_ONLY),
    ("POST", "/v1/audit-requests/{audit_request_id}/outcome"): Row(
        AUDITOR_ONLY, body={"outcome": "accepted"}, fresh=True, prepare=_answer_audit_request
    ),
    ("POST", "/v1/audit-requests/{audit_request_id}/withdraw"): Row(AUDITOR_ONLY, fresh=True),
    ("GET", "/v1/me/audit-requests"): Row(SAME),
    ("GET", "/v1/me/audit-requests/{audit_request_id}"): Row(OWNER_ONLY),
    ("POST", "/v1/me/audit-requests/{audit_request_id}/answer"): Row(
        OWNER_ONLY, body=lambda w: {"export_id": w.ids["export_id"]}, fresh=True
    ),
    ("POST", "/v1/me/audit-requests/{audit_request_id}/decline"): Row(
        OWNER_ONLY, body={"reason": "Not my registration."}, fresh=True
    ),
    # Learning from employers' systems (issue 19). The statement resource takes the organisation's
    # LRS credentials (HTTP Basic), never a bearer token: every caller here is refused (tests/xapi
    # covers those credentials: the right ones, another organisation's, revoked, wrong).
    ("POST", "/xapi/statements"): Row("401 401 401 401 401 401 401 401", body=_statement, headers=_xapi),
    ("PUT", "/xapi/statements"): Row(
        "401 401 401 401 401 401 401 401",
        body=_statement,
        headers=_xapi,
        params=lambda w: {"statementId": str(uuid.uuid4())},
    ),
    ("GET", "/xapi/statements"): Row(
        "401 401 401 401 401 401 401 401", headers=_xapi, params=lambda w: {"statementId": str(uuid.uuid4())}
    ),
    # The About resource needs no credentials (xAPI 1.0.3 Part Three §2.8).
    ("GET", "/xapi/about"): Row(PUBLIC),
    ("GET", "/v1/organisations/{organisation_id}/lrs-credentials"): Row(ADMIN_ONLY),
    ("POST", "/v1/organisations/{organisation_id}/lrs-credentials"): Row(ADMIN_ONLY, ok=201, body={"label": "LMS"}),
    ("DELETE", "/v1/organisations/{organisation_id}/lrs-credentials/{credential_id}"): Row(
        ADMIN_ONLY, ok=204, fresh=True
    ),
    ("POST", "/v1/organisations/{organisation_id}/training-records"): Row(
        ADMIN_ONLY, content=("text/csv", lambda w: f"email,title,date\n{w.ids['owner_email']},Fire safety,2025-02-01\n")
    ),
    ("GET", "/v1/me/suggestion-consents"): Row(SAME),
    # The world's owner agreed already (200); another member agrees for the first time (201).
    ("PUT", "/v1/me/suggestion-consents/{organisation_id}"): Row("200 ok ok ok ok 404 404 401", ok=201, fresh=True),
    ("DELETE", "/v1/me/suggestion-consents/{organisation_id}"): Row(SAME, ok=204, fresh=True),
    ("GET", "/v1/me/suggestions"): Row(SAME),
    ("POST", "/v1/me/suggestions/{suggestion_id}/reject"): Row(OWNER_ONLY, ok=204, fresh=True),
    ("GET", "/v1/me/xapi/statements"): Row(SAME),
}


async def _suggestion(client, world: World) -> None:
    """The owner agrees to the employer's suggestions; its learning system suggests one."""
    organisation_id = world.ids["organisation_id"]
    consent = await client.put(f"/v1/me/suggestion-consents/{organisation_id}", headers=world.tokens["owner"])
    assert consent.status_code == 201, consent.text
    made = await _post(
        client, f"/v1/organisations/{organisation_id}/lrs-credentials", world.tokens["org_admin"], {"label": "LMS"}
    )
    world.ids["credential_id"] = made["id"]
    basic = base64.b64encode(f"{made['key']}:{made['secret']}".encode()).decode()
    posted = await client.post(
        "/xapi/statements", json=_statement(world), headers={"Authorization": f"Basic {basic}", **_xapi(world)}
    )
    assert posted.status_code == 200, posted.text
    waiting = (await client.get("/v1/me/suggestions", headers=world.tokens["owner"])).json()
    world.ids["suggestion_id"] = waiting[0]["id"]


async def _post(client, path: str, headers: dict, body: Any = None, answers: int = 201) -> dict:
    """POST to build the world; ``answers`` is the route's success status (201 Created for most)."""
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == answers, f"{path}: {response.text}"
    return response.json()


async def _people(client, world: World) -> None:
    for caller in CALLERS[:-1]:
        world.tokens[caller], me = await account(client, caller.replace("_", " ").title())
        world.ids[f"{caller}_id"] = me["id"]
    world.tokens["anonymous"] = {}
    employer = await organisation(client, world.tokens["org_admin"])
    world.ids["organisation_id"] = employer
    for caller, role in (
        ("owner", "worker"),
        ("other_worker", "worker"),
        ("supervisor_shared", "supervisor"),
        ("supervisor_unshared", "supervisor"),
    ):
        await join(client, world.tokens["org_admin"], employer, world.tokens[caller], role)
    world.ids["link_id"] = await supervise(
        client, world.tokens["org_admin"], employer, world.ids["supervisor_shared_id"], world.ids["owner_id"]
    )
    await supervise(
        client, world.tokens["org_admin"], employer, world.ids["supervisor_unshared_id"], world.ids["owner_id"]
    )
    await organisation(client, world.tokens["other_admin"], name="Hillside Homes")
    regulator_admin, _ = await account(client, "Regulator Admin")
    regulator = await organisation(client, regulator_admin, kind="regulator", name="Care Regulator")
    await join(client, regulator_admin, regulator, world.tokens["auditor"], "auditor")
    world.ids["regulator_id"] = regulator
    owner_email = (await client.get("/v1/me", headers=world.tokens["owner"])).json()["email"]
    world.ids["owner_email"] = owner_email
    invitation = await _post(
        client,
        f"/v1/organisations/{employer}/invitations",
        world.tokens["org_admin"],
        {"email": owner_email, "role": "admin"},
    )
    world.ids["invitation_id"] = invitation["id"]


async def _record(client, world: World) -> None:
    owner = world.tokens["owner"]
    world.entry = entry_body()
    world.ids["entry_id"] = str(uuid.uuid4())
    assert (
        await client.put(f"/v1/evidence/{world.ids['entry_id']}", json=world.entry, headers=owner)
    ).status_code == 201
    world.ids["second_entry_id"] = (await _post(client, "/v1/evidence", owner, entry_body()))["id"]
    attachment = await client.post(
        f"/v1/evidence/{world.ids['entry_id']}/attachments",
        files={"file": ("photo.jpg", corpus.jpeg(), "image/jpeg")},
        headers=owner,
    )
    assert attachment.status_code == 201, attachment.text
    world.ids["attachment_id"] = attachment.json()["id"]
    slot = await _post(client, "/v1/uploads", owner, _slot(world))
    world.ids["slot_id"] = slot["id"]
    world.ids["name"] = slot["upload"]["url"].rstrip("/").rsplit("/", 1)[-1].split("?")[0]
    world.ids["registration_id"] = str(uuid.uuid4())
    assert (
        await client.put(
            f"/v1/me/registrations/{world.ids['registration_id']}", json=_registration(world), headers=owner
        )
    ).status_code == 201
    world.ids["explanation_id"] = str(uuid.uuid4())
    path = f"/v1/me/registrations/{world.ids['registration_id']}/gap-explanations/{world.ids['explanation_id']}"
    assert (
        await client.put(
            path, json={"starts_on": "2025-01-01", "ends_on": "2025-02-01", "reason": "Leave"}, headers=owner
        )
    ).status_code == 201
    assert (
        await client.put(
            f"/v1/evidence/{world.ids['entry_id']}/peer-discussion", json={"name": "Pat Peer"}, headers=owner
        )
    ).status_code == 201
    frameworks = (await client.get("/v1/frameworks", headers=owner)).json()
    world.ids["framework_id"] = world.ids["reference"] = frameworks[0]["id"]
    package = (await client.get(f"/ims/case/v1p0/CFPackages/{frameworks[0]['id']}")).json()
    world.ids["case_item"] = package["CFItems"][0]["identifier"]
    world.ids["case_association"] = package["CFAssociations"][0]["identifier"]
    world.ids["session_id"] = (await client.get("/v1/me/sessions", headers=owner)).json()[0]["id"]


def _push_subscription() -> dict:
    """A new device each time (a browser's ``PushSubscription.toJSON()``)."""
    return Device(f"https://push.invalid/send/{uuid.uuid4().hex}").subscription()


async def _push_device(client, world: World) -> None:
    made = await _post(client, "/v1/me/push-subscriptions", world.tokens["owner"], _push_subscription())
    world.ids["subscription_id"] = made["id"]


async def _sharing_and_review(client, world: World) -> None:
    owner, reviewer = world.tokens["owner"], world.tokens["supervisor_shared"]
    chosen = [world.ids["entry_id"], world.ids["second_entry_id"]]
    made = await share(
        client, owner, world.ids["organisation_id"], supervisor_id=world.ids["supervisor_shared_id"], entry_ids=chosen
    )
    world.ids["share_id"] = made["id"]
    review = await _post(
        client,
        "/v1/reviews",
        owner,
        {
            "entry_id": world.ids["entry_id"],
            "reviewer_id": world.ids["supervisor_shared_id"],
            "organisation_id": world.ids["organisation_id"],
        },
    )
    world.ids["review_id"] = review["id"]
    await _post(client, f"/v1/reviews/{review['id']}/comments", reviewer, {"body": "Looks good so far."}, answers=200)
    shown = (await client.get(f"/v1/shared/evidence/{world.ids['entry_id']}", headers=reviewer)).json()
    world.ids["link"] = shown["attachments"][0]["view_url"].rsplit("/", 1)[1]
    notifications = (await client.get("/v1/notifications", headers=owner)).json()
    world.ids["notification_id"] = notifications[0]["id"]
    world.ids["worker_id"] = world.ids["account_id"] = world.ids["owner_id"]


async def _export(client, world: World) -> None:
    """A finished export of the owner's record, with a share link to it."""
    owner = world.tokens["owner"]
    export = await _post(client, "/v1/exports", owner, {"format": "json"}, answers=202)
    for _ in range(300):
        export = (await client.get(f"/v1/exports/{export['id']}", headers=owner)).json()
        if export["status"] in ("done", "failed"):
            break
        await asyncio.sleep(0.05)
    assert export["status"] == "done", export
    world.ids["export_id"] = export["id"]
    link = await _post(client, f"/v1/exports/{export['id']}/shares", owner, {"label": "Matrix"})
    world.ids["export_share_id"] = link["id"]
    world.ids["token"] = link["url"].rstrip("/").rsplit("/", 1)[-1]


async def _data_export(client, world: World) -> None:
    """A finished copy of everything cpl holds about the owner."""
    owner = world.tokens["owner"]
    made = await _post(client, "/v1/me/data-export", owner, answers=202)
    for _ in range(300):
        made = (await client.get(f"/v1/me/data-export/{made['id']}", headers=owner)).json()
        if made["status"] in ("done", "failed"):
            break
        await asyncio.sleep(0.05)
    assert made["status"] == "done", made
    world.ids["data_export_id"] = made["id"]


async def _audit(client, world: World) -> None:
    """The regulator's auditor asks the owner for their record."""
    asked = await _post(client, "/v1/audit-requests", world.tokens["auditor"], _audit_request(world))
    world.ids["audit_request_id"] = asked["id"]


async def _calendar(client, world: World) -> None:
    """The owner's calendar feed."""
    made = await _post(client, "/v1/me/calendar-feed", world.tokens["owner"], answers=201)
    world.ids["feed"] = made["url"].rsplit("/", 1)[-1]


async def build_world(client) -> World:
    world = World()
    await _people(client, world)
    await _record(client, world)
    await _sharing_and_review(client, world)
    await _push_device(client, world)
    await _export(client, world)
    await _data_export(client, world)
    await _audit(client, world)
    await _calendar(client, world)
    await _suggestion(client, world)
    return world


def _routes(settings) -> list[tuple[str, str]]:
    """Every path and method of the app (built on the test's settings: building an app binds
    the database engine)."""
    app = create_app(settings)
    found = set()
    for route in app.routes:
        if route.path.startswith("/schema"):
            continue
        for handler in getattr(route, "route_handlers", []):
            for method in handler.http_methods:
                if method not in ("HEAD", "OPTIONS"):
                    found.add((method, re.sub(r"\{([^}:]+)(:[^}]+)?\}", r"{\1}", route.path)))
    return sorted(found, key=lambda item: (item[1], item[0]))


def test_every_route_has_a_row_in_the_matrix(settings):
    routes = _routes(settings)
    missing = [f"{method} {path}" for method, path in routes if (method, path) not in MATRIX]
    assert not missing, "routes without a row in the authorization matrix: " + ", ".join(missing)
    stale = [f"{method} {path}" for method, path in MATRIX if (method, path) not in set(routes)]
    assert not stale, "matrix rows for routes that no longer exist: " + ", ".join(stale)
    for key, row in MATRIX.items():
        assert len(row.expect.split()) == len(CALLERS), key


async def _call(client, world: World, method: str, path: str, row: Row, caller: str) -> int:
    ids = {**world.ids, **(row.ids(world) if row.ids else {})}
    concrete = re.sub(r"\{([^}]+)\}", lambda match: ids[match.group(1)], path)
    body = row.body(world) if callable(row.body) else row.body
    headers = {**world.tokens[caller], **(row.headers(world) if row.headers else {})}
    if row.content:
        media_type, text = row.content
        response = await client.request(
            method, concrete, content=text(world).encode(), headers={**headers, "Content-Type": media_type}
        )
    elif method == "POST" and path.endswith("/attachments"):
        response = await client.post(
            concrete, files={"file": ("c.jpg", corpus.jpeg(color="blue"), "image/jpeg")}, headers=headers
        )
    else:
        params = row.params(world) if row.params else None
        response = await client.request(
            method, concrete, json=body, headers=headers, params=params, follow_redirects=False
        )
    return response.status_code


def _expected_status(row: Row, expected: str) -> int:
    return row.ok if expected == "ok" else int(expected)


async def test_every_route_allows_and_denies_exactly_as_the_matrix_says(client_for, make_settings):
    # Every fresh world signs its people up from the one test address: sign-up's throttle opened wide.
    # The owner's push device is on a host that does not resolve: no waits between its failed pushes.
    # A file link lives its full test here (the world is built once; its expiry is tests/sharing's).
    settings = make_settings(
        signup_attempts_per_address=100_000, push_retry_delay_seconds=0, shared_file_link_ttl=timedelta(hours=1)
    )
    routes = [key for key in _routes(settings) if key in MATRIX]
    client = await client_for(settings)
    shared = await build_world(client)
    wrong = []
    for method, path in routes:
        row = MATRIX[(method, path)]
        expected = dict(zip(CALLERS, row.expect.split(), strict=True))
        # Refusals first, on the shared world (they must change nothing); each allowed call
        # that changes what other rows rely on gets a world of its own.
        for caller in sorted(CALLERS, key=lambda name: expected[name] == "ok"):
            fresh = row.fresh and expected[caller] == "ok"
            world = await build_world(client) if fresh else shared
            if fresh and row.prepare:
                await row.prepare(client, world)
            status = await _call(client, world, method, path, row, caller)
            if status != _expected_status(row, expected[caller]):
                wrong.append(
                    f"{method} {path} as {caller}: {status}, expected {_expected_status(row, expected[caller])}"
                )
    assert not wrong, "\n".join(wrong)
