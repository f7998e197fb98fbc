"""Demo data for ``cpl serve --demo``: enough to try every flow of the Quick start.

- **Demo Worker** (``demo@cpl.example``): a few weeks of entries, an NMC registration, and
  one entry shared with their supervisor and submitted for review.
- **Sam Supervisor** (``supervisor@cpl.example``): admin and supervisor of *Demo Care Trust*,
  supervising the worker; the review waits in their queue.
- **Demo Operator** (``operator@cpl.example``): an operator, who vetted Demo Care Trust with
  the note "demo data" (so the supervisor's verification is from a vetted organisation).

Every account's password is :data:`DEMO_PASSWORD`. Seeded once; later starts leave it as it is.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID, uuid4

from cpl import db
from cpl.accounts.service import create_account
from cpl.accounts.tables import Account
from cpl.evidence.schemas import EvidenceContent
from cpl.evidence.service import create_entry
from cpl.kernel.events import EventBus
from cpl.kernel.principal import Principal
from cpl.organisations import invitations, service, supervision, vetting
from cpl.organisations.schemas import InvitationIn, OrganisationIn, SupervisionLinkIn
from cpl.requirements.schemas import RegistrationIn
from cpl.requirements.service import put_registration
from cpl.reviews.schemas import SubmissionIn
from cpl.reviews.service import submit
from cpl.settings import Settings
from cpl.sharing.schemas import ShareIn
from cpl.sharing.service import create_share

DEMO_EMAIL = "demo@cpl.example"
SUPERVISOR_EMAIL = "supervisor@cpl.example"
OPERATOR_EMAIL = "operator@cpl.example"
DEMO_PASSWORD = "demo-password-123"
ORGANISATION_NAME = "Demo Care Trust"
VETTING_NOTE = "demo data"

_ENTRIES = [
    ("learning_activity", "Trauma-informed practice, level 2", "e_learning", 180, True),
    ("reflective_account", "Reflecting on a difficult handover", "other", 45, False),
    ("feedback", "Feedback from a family after discharge", "other", 15, False),
    ("learning_activity", "Adult support and protection refresher", "course", 360, True),
    ("reflective_discussion", "Discussion with my practice supervisor", "supervision", 60, True),
    ("learning_activity", "Reading: the Promise and corporate parenting", "reading", 90, False),
]
#: The entry shared with the supervisor and submitted for review.
_SUBMITTED = "Discussion with my practice supervisor"


def _acting(account: dict) -> Principal:
    """The account acting in the seed, as a request's principal would (no session: nobody signed in)."""
    return Principal(
        account_id=account["id"],
        email=account["email"],
        display_name=account["display_name"],
        is_admin=account["is_admin"],
        session_id=UUID(int=0),
    )


async def _worker(settings: Settings) -> tuple[dict, dict[str, UUID]]:
    """The worker, their entries (by title) and their NMC registration."""
    worker = await create_account(settings, email=DEMO_EMAIL, password=DEMO_PASSWORD, display_name="Demo Worker")
    entries = {}
    for weeks_ago, (kind, title, activity, minutes, participatory) in enumerate(_ENTRIES):
        content = EvidenceContent(
            kind=kind,
            title=title,
            occurred_on=(date.today() - timedelta(weeks=weeks_ago)).isoformat(),
            duration_minutes=minutes,
            participatory=participatory,
            activity_type=activity,
            tags=["demo"],
        )
        entries[title] = (await create_entry(worker["id"], content))["id"]
    cycle_start = date(date.today().year - 1, 4, 1)
    registration = RegistrationIn.model_validate(
        {
            "register": "nmc",
            "registration_number": "12A3456E",
            "part": "nurse",
            "cycle_start": cycle_start.isoformat(),
            "renewal_date": cycle_start.replace(year=cycle_start.year + 3).isoformat(),
        }
    )
    await put_registration(worker["id"], uuid4(), registration)
    return worker, entries


async def _join(settings: Settings, admin: UUID, organisation: UUID, member: dict, role: str) -> None:
    invited, _ = await invitations.invite(settings, admin, organisation, InvitationIn(email=member["email"], role=role))
    await invitations.accept(_acting(member), invited.id)


async def seed_demo(settings: Settings) -> None:
    """Create the demo accounts, organisation, registration and review once."""
    engine = db.build_engine(settings)
    db.bind_engine(engine)
    await db.open_database(engine, settings)
    try:
        if await Account.exists().where(Account.email == DEMO_EMAIL):
            return
        worker, entries = await _worker(settings)
        boss = await create_account(
            settings, email=SUPERVISOR_EMAIL, password=DEMO_PASSWORD, display_name="Sam Supervisor"
        )
        operator = await create_account(
            settings, email=OPERATOR_EMAIL, password=DEMO_PASSWORD, display_name="Demo Operator", is_admin=True
        )
        trust = await service.create_organisation(boss["id"], OrganisationIn(name=ORGANISATION_NAME, kind="employer"))
        await _join(settings, boss["id"], trust.id, boss, "supervisor")
        await _join(settings, boss["id"], trust.id, worker, "worker")
        await supervision.link(
            boss["id"], trust.id, SupervisionLinkIn(supervisor_id=boss["id"], worker_id=worker["id"])
        )
        await vetting.decide(operator["id"], trust.id, vetting.VETTED, VETTING_NOTE)
        submitted = entries[_SUBMITTED]
        # A share with a supervisor: nothing the demo starts reacts to it (the workforce view counts
        # shares with the organisation itself), so a bus without subscribers stands for the app's.
        await create_share(
            EventBus(db.in_transaction),
            worker["id"],
            ShareIn(organisation_id=trust.id, supervisor_id=boss["id"], entry_ids=[submitted]),
        )
        await submit(
            settings,
            _acting(worker),
            SubmissionIn(
                entry_id=submitted, reviewer_id=boss["id"], organisation_id=trust.id, note="Could you verify this?"
            ),
        )
        print(
            f"Demo accounts (password {DEMO_PASSWORD}): worker {DEMO_EMAIL}; supervisor {SUPERVISOR_EMAIL} "
            f"(a review waits in their queue); operator {OPERATOR_EMAIL}. {ORGANISATION_NAME} is vetted."
        )
    finally:
        await db.close_database(engine)
