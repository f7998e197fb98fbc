"""The self-verification attack (issue 14): a worker creates "NHS Lothian", verifies their own entry
through a second account, and exports. Everything that shows the verification must say the
organisation is self-declared: the signed credential (inside the signed payload), the PDF, the
record and CSV in the bundle, and /verify (JSON and HTML). Vetting later does not rewrite it."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from uuid import UUID

import pypdf

from cpl.exports.offline import verify_file
from cpl.exports.tables import Export
from tests.exports.helpers import export_file, jwks
from tests.factories import put_entry
from tests.organisations.helpers import account, join, organisation, share, supervise
from tests.organisations.operators import operator, vet

SELF_DECLARED = "self-declared organisation"
AS_GIVEN = "as given, not checked with the register"


async def _self_verified(client) -> tuple[dict, str, dict]:
    """The attack: the worker's own "NHS Lothian", their own second account as supervisor, one verified entry."""
    worker, worker_me = await account(client, "Wren Worker")
    accomplice, accomplice_me = await account(client, "Dr Jane Smith")
    lothian = await organisation(client, worker, name="NHS Lothian")
    await join(client, worker, lothian, worker, "worker")
    await join(client, worker, lothian, accomplice, "supervisor")
    await supervise(client, worker, lothian, accomplice_me["id"], worker_me["id"])
    entry = await put_entry(client, worker, title="Sepsis recognition")
    await share(client, worker, lothian, supervisor_id=accomplice_me["id"], entry_ids=[entry["id"]])
    submitted = await client.post(
        "/v1/reviews",
        json={"entry_id": entry["id"], "reviewer_id": accomplice_me["id"], "organisation_id": lothian},
        headers=worker,
    )
    assert submitted.status_code == 201, submitted.text
    review_id = submitted.json()["id"]
    verified = await client.post(
        f"/v1/reviews/{review_id}/verify",
        json={"statement": "Excellent practice.", "role": "Consultant", "registration_number": "12A3456E"},
        headers=accomplice,
    )
    assert verified.status_code == 200, verified.text
    return worker, lothian, verified.json()


def _jwt_payload(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages).split())


async def test_a_self_verified_entry_says_self_declared_organisation_everywhere(client, tmp_path):
    worker, _, verified = await _self_verified(client)
    [verification] = verified["verifications"]
    assert verification["organisation_name"] == "NHS Lothian"
    assert (verification["organisation_vetted"], verification["organisation_standing"]) == (False, SELF_DECLARED)
    assert verified["organisation_vetted"] is False
    entry_verifications = await client.get(f"/v1/evidence/{verification['entry_id']}/verifications", headers=worker)
    assert entry_verifications.json()[0]["organisation_standing"] == SELF_DECLARED

    done, data = await export_file(client, worker, "bundle")
    path = tmp_path / "bundle.zip"
    path.write_bytes(data)
    assert verify_file(path, await jwks(client)).valid
    with zipfile.ZipFile(path) as bundle:
        token = bundle.read("credential/clr.jwt").decode()
        record = json.loads(bundle.read("record.json"))
        table = bundle.read("entries.csv").decode("utf-8-sig")
        portfolio = bundle.read("portfolio.pdf")

    signed = _jwt_payload(token)
    [badge] = signed["credentialSubject"]["verifiableCredential"]
    narrative = badge["credentialSubject"]["achievement"]["criteria"]["narrative"]
    assert (
        "Verified by Dr Jane Smith (Consultant; NHS Lothian, self-declared organisation; "
        f"registration NMC 12A3456E ({AS_GIVEN}))" in narrative
    )
    [held] = record["entries"][0]["verifications"]
    assert (held["organisation_vetted"], held["organisation_standing"]) == (False, SELF_DECLARED)
    assert "NHS Lothian, self-declared organisation" in table
    pdf_text = _pdf_text(portfolio)
    assert "NHS Lothian, self-declared organisation" in pdf_text and AS_GIVEN in pdf_text

    as_json = await client.get(f"/verify/{done['id']}", headers={"Accept": "application/json"})
    assert as_json.status_code == 200
    [verifier] = as_json.json()["verifiers"]
    assert verifier["organisation_name"] == "NHS Lothian" and verifier["organisation_vetted"] is False
    assert verifier["organisation_standing"] == SELF_DECLARED
    assert verifier["registration_shown_as"] == f"NMC 12A3456E ({AS_GIVEN})"
    as_html = await client.get(f"/verify/{done['id']}", headers={"Accept": "text/html"})
    assert as_html.status_code == 200
    assert "Dr Jane Smith, Consultant — NHS Lothian <strong>(self-declared organisation)</strong>" in as_html.text
    assert f"registration NMC 12A3456E ({AS_GIVEN})" in as_html.text


async def test_vetting_later_changes_views_but_never_what_was_signed(client, settings):
    worker, lothian, verified = await _self_verified(client)
    done, data = await export_file(client, worker, "credential")
    op, _ = await operator(client, settings)
    await vet(client, op, lothian)

    held = await client.get(f"/v1/reviews/{verified['id']}", headers=worker)
    assert held.json()["organisation_vetted"] is True
    assert held.json()["verifications"][0]["organisation_standing"] == SELF_DECLARED
    still = await client.get(f"/verify/{done['id']}", headers={"Accept": "application/json"})
    assert still.json()["verifiers"][0]["organisation_standing"] == SELF_DECLARED
    again, data = await export_file(client, worker, "credential")
    assert SELF_DECLARED in data.decode() and "vetted organisation" not in data.decode()


async def test_a_verification_through_a_vetted_organisation_says_so(client, settings):
    op, _ = await operator(client, settings)
    admin, _ = await account(client, "Ada Admin")
    supervisor, supervisor_me = await account(client, "Sam Supervisor")
    worker, worker_me = await account(client, "Wren Worker")
    trust = await organisation(client, admin, name="Borders General")
    await vet(client, op, trust)
    await join(client, admin, trust, supervisor, "supervisor")
    await join(client, admin, trust, worker, "worker")
    await supervise(client, admin, trust, supervisor_me["id"], worker_me["id"])
    entry = await put_entry(client, worker)
    await share(client, worker, trust, supervisor_id=supervisor_me["id"], entry_ids=[entry["id"]])
    made = await client.post(
        "/v1/reviews",
        json={"entry_id": entry["id"], "reviewer_id": supervisor_me["id"], "organisation_id": trust},
        headers=worker,
    )
    verified = await client.post(
        f"/v1/reviews/{made.json()['id']}/verify", json={"statement": "Seen it."}, headers=supervisor
    )
    assert verified.json()["verifications"][0]["organisation_standing"] == "vetted organisation"
    done, _ = await export_file(client, worker, "json")
    shown = await client.get(f"/verify/{done['id']}", headers={"Accept": "application/json"})
    assert [(item["organisation_name"], item["organisation_vetted"]) for item in shown.json()["verifiers"]] == [
        ("Borders General", True)
    ]
    as_html = await client.get(f"/verify/{done['id']}")
    assert "Borders General <strong>(vetted organisation)</strong>" in as_html.text


async def test_an_export_without_verifications_says_nobody_verified(client):
    worker, _ = await account(client, "Wren Worker")
    await put_entry(client, worker)
    done, _ = await export_file(client, worker, "json")
    shown = await client.get(f"/verify/{done['id']}", headers={"Accept": "application/json"})
    assert shown.json()["verifiers"] == []
    assert "Nobody has verified the entries this export carries." in (await client.get(f"/verify/{done['id']}")).text


async def test_an_export_made_before_verifiers_were_kept_does_not_claim_nobody_verified(client):
    worker, _ = await account(client, "Wren Worker")
    await put_entry(client, worker)
    done, _ = await export_file(client, worker, "json")
    await Export.update({Export.verifiers: None}).where(Export.id == UUID(done["id"]))  # as the migration left it
    shown = await client.get(f"/verify/{done['id']}", headers={"Accept": "application/json"})
    assert shown.json()["verifiers"] is None
    page = (await client.get(f"/verify/{done['id']}")).text
    assert "made before this page listed verifiers" in page and "Nobody has verified" not in page
