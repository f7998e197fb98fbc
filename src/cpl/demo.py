"""Demo data for ``cpl serve --demo``: one worker with a few weeks of entries."""

from __future__ import annotations

from datetime import date, timedelta

from cpl import db
from cpl.accounts.service import create_account
from cpl.accounts.tables import Account
from cpl.evidence.schemas import EvidenceContent
from cpl.evidence.service import create_entry
from cpl.settings import Settings

DEMO_EMAIL = "demo@cpl.example"
DEMO_PASSWORD = "demo-password-123"

_ENTRIES = [
    ("learning_activity", "Trauma-informed practice, level 2", "e_learning", 180, True),
    ("reflective_account", "Reflecting on a difficult handover", "other", 45, False),
    ("feedback", "Feedback from a family after discharge", "other", 15, False),
    ("learning_activity", "Adult support and protection refresher", "course", 360, True),
    ("reflective_discussion", "Discussion with my practice supervisor", "supervision", 60, True),
    ("learning_activity", "Reading: the Promise and corporate parenting", "reading", 90, False),
]


async def seed_demo(settings: Settings) -> None:
    """Create the demo worker and entries once; later starts leave them as they are."""
    engine = db.build_engine(settings)
    db.bind_engine(engine)
    await db.open_database(engine, settings)
    try:
        if await Account.exists().where(Account.email == DEMO_EMAIL):
            return
        account = await create_account(settings, email=DEMO_EMAIL, password=DEMO_PASSWORD, display_name="Demo Worker")
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
            await create_entry(account["id"], content)
        print(f"Demo worker: {DEMO_EMAIL} / {DEMO_PASSWORD}")
    finally:
        await db.close_database(engine)
