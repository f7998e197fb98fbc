"""An employer, its supervisor and a worker's membership, made through the HTTP API for the browser tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx
import pyotp

from tests.factories import PASSWORD
from tests.mailbox import FolderMailbox, last_mail_to, link_in, token_of


@dataclass
class Person:
    http: httpx.Client
    account_id: str
    email: str
    #: The TOTP secret once the person's second factor is on.
    totp_secret: str | None = None

    def call(self, method: str, path: str, expected: int, **kwargs) -> dict:
        response = self.http.request(method, path, **kwargs)
        assert response.status_code == expected, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else {}


def confirm_address(http: httpx.Client, mailbox: FolderMailbox, email: str) -> None:
    """Follow the confirmation link mailed to ``email`` (the form's POST, as the page sends it)."""
    token = token_of(link_in(last_mail_to(mailbox, email), "/account/confirm-email"))
    assert http.post("/account/confirm-email", data={"token": token}).status_code == 200


def register(base_url: str, name: str, mailbox: FolderMailbox) -> Person:
    """A new account with a confirmed address and a bearer session."""
    email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:8]}@example.org"
    http = httpx.Client(base_url=base_url, timeout=30)
    answer = http.post("/v1/auth/register", json={"email": email, "password": PASSWORD, "display_name": name})
    assert answer.status_code == 202, answer.text
    confirm_address(http, mailbox, email)
    login = http.post("/v1/auth/login", json={"email": email, "password": PASSWORD, "device_name": "test"})
    assert login.status_code == 200, login.text
    http.headers["Authorization"] = f"Bearer {login.json()['token']}"
    return Person(http, login.json()["account"]["id"], email)


def enrol_second_factor(person: Person) -> str:
    """Turn the person's second factor on from their session (admins and supervisors need it); the secret."""
    secret = person.call("POST", "/v1/me/second-factor", 201)["secret"]
    person.call("POST", "/v1/me/second-factor/confirm", 200, json={"code": pyotp.TOTP(secret).now()})
    person.totp_secret = secret
    return secret


@dataclass
class Employer:
    """An organisation whose admin is also a supervisor there."""

    organisation_id: str
    name: str
    supervisor: Person

    def invite(self, email: str, role: str) -> str:
        invitation = self.supervisor.call(
            "POST", f"/v1/organisations/{self.organisation_id}/invitations", 201, json={"email": email, "role": role}
        )
        return invitation["id"]

    def supervise(self, worker_id: str) -> None:
        body = {"supervisor_id": self.supervisor.account_id, "worker_id": worker_id}
        self.supervisor.call("POST", f"/v1/organisations/{self.organisation_id}/supervision-links", 201, json=body)


def employer_with_supervisor(base_url: str, name: str, supervisor_name: str, mailbox: FolderMailbox) -> Employer:
    supervisor = register(base_url, supervisor_name, mailbox)
    enrol_second_factor(supervisor)
    organisation = supervisor.call("POST", "/v1/organisations", 201, json={"name": name, "kind": "employer"})
    employer = Employer(organisation["id"], name, supervisor)
    supervisor.call("POST", f"/v1/invitations/{employer.invite(supervisor.email, 'supervisor')}/accept", 200)
    return employer
