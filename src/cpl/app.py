"""The application factory."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from cpl import db
from cpl.accounts import (
    AccountPagesController,
    AuthController,
    MeController,
    SecondFactorController,
    SignInSecondStepController,
)
from cpl.accounts.auth import BearerTokenMiddleware
from cpl.accounts.cookies import warn_if_public_address_is_plain_http
from cpl.accounts.session_cache import SessionCache, listening
from cpl.api_document import answer_options, document_operations, openapi_config
from cpl.attachments import (
    AttachmentController,
    EntryAttachmentsController,
    LocalUploadController,
    UploadController,
    release_deleted_entry,
)
from cpl.attachments.cleanup import storage_lifespan
from cpl.competences import (
    CaseController,
    CompetenceSearchController,
    CoverageController,
    EntryCompetenceController,
    FrameworkController,
    ensure_built_in_frameworks,
    forget_entry_links,
)
from cpl.evidence import EntryDeleted, EvidenceController, SyncController
from cpl.exports import (
    ExportController,
    ExportLinkController,
    ExportShareController,
    ImportController,
    SchemaController,
    VerifyController,
    export_lifespan,
    stale_job_recovery,
)
from cpl.health import health
from cpl.kernel.events import EventBus
from cpl.kernel.json_depth import JsonDepthMiddleware
from cpl.mail import mail_lifespan
from cpl.notifications import NotificationController
from cpl.organisations import (
    InvitationController,
    InvitationPageController,
    MembershipEnded,
    MyInvitationController,
    MySupervisionController,
    OperatorOrganisationController,
    OrganisationController,
    SupervisionController,
    SupervisionEnded,
)
from cpl.private_files import private_folder
from cpl.problems import EXCEPTION_HANDLERS
from cpl.requirements import (
    GapExplanationController,
    PeerDiscussionController,
    ProgressController,
    RegistrationController,
    RequirementPackController,
    SignOffs,
    check_requirement_packs,
    forget_peer_discussion,
)
from cpl.reviews import EntryVerificationController, ReviewController, TeamController, current_verifications
from cpl.scheduling import Node, Schedule, dead_node_cleanup, scheduling_lifespan
from cpl.settings import Settings
from cpl.sharing import ShareController, SharedController, end_shares_on_leaving, end_supervision_shares
from cpl.signing import IssuerKeyController, WellKnownController, ensure_issuer_key
from cpl.storage import open_storage
from cpl.templating import environment
from cpl.web import STATIC_FOLDER, AppShell, WebAppController, open_app

ROUTE_HANDLERS = [health, AuthController, MeController, EvidenceController, SyncController]
ROUTE_HANDLERS += [SecondFactorController, SignInSecondStepController]
ROUTE_HANDLERS += [EntryAttachmentsController, AttachmentController, UploadController, LocalUploadController]
ROUTE_HANDLERS += [
    FrameworkController,
    CompetenceSearchController,
    EntryCompetenceController,
    CoverageController,
    CaseController,
]
ROUTE_HANDLERS += [
    RequirementPackController,
    RegistrationController,
    GapExplanationController,
    ProgressController,
    PeerDiscussionController,
]
ROUTE_HANDLERS += [WellKnownController, IssuerKeyController]
ROUTE_HANDLERS += [
    OrganisationController,
    InvitationController,
    MyInvitationController,
    SupervisionController,
    MySupervisionController,
    OperatorOrganisationController,
]
ROUTE_HANDLERS += [
    ShareController,
    SharedController,
    ReviewController,
    EntryVerificationController,
    TeamController,
    NotificationController,
]
ROUTE_HANDLERS += [
    ExportController,
    ExportShareController,
    ImportController,
    SchemaController,
    VerifyController,
    ExportLinkController,
]
ROUTE_HANDLERS += [open_app, WebAppController, AccountPagesController, InvitationPageController]


def subscribe_handlers(events: EventBus) -> None:
    """Which domain reacts to which event, in the order the handlers run (CONVENTIONS rule 13)."""
    events.subscribe(EntryDeleted, release_deleted_entry)
    events.subscribe(EntryDeleted, forget_peer_discussion)
    events.subscribe(EntryDeleted, forget_entry_links)
    events.subscribe(MembershipEnded, end_shares_on_leaving)
    events.subscribe(SupervisionEnded, end_supervision_shares)


def schedule_work(schedule: Schedule, settings: Settings) -> None:
    """The work that runs once per period across every node on the database (issue 18)."""
    schedule.add(stale_job_recovery(settings))
    schedule.add(dead_node_cleanup(settings))


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the service from settings (read from ``CPL_*`` variables when none are given).

    The database engine is built and bound here; the PostgreSQL pool opens in the
    lifespan, which fails start-up if the database cannot be reached. Each app has its own
    event bus (the ``events`` dependency, also ``app.state.events``) with the domains'
    handlers subscribed, and its own node identity (``node``, also ``app.state.node``), under
    which it beats in the database and takes its turns of the scheduled work.
    """
    settings = settings or Settings()
    check_requirement_packs()
    private_folder(settings.data_dir)
    engine = db.build_engine(settings)
    db.bind_engine(engine)
    storage = open_storage(settings)
    sessions = SessionCache(settings.token_cache_size)
    events = EventBus(in_transaction=db.in_transaction)
    subscribe_handlers(events)
    node, schedule = Node(), Schedule()
    schedule_work(schedule, settings)
    app_shell = AppShell(settings.web_app_folder or STATIC_FOLDER)
    warn_if_public_address_is_plain_http(settings)

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        await db.open_database(engine, settings)
        try:
            await ensure_built_in_frameworks()
            await ensure_issuer_key(settings)
            # The start-up heap (~130,000 objects) stays out of every later full collection,
            # which otherwise took ~65 ms in the middle of a request (bench/RESULTS.md, issue 5).
            gc.freeze()
            async with listening(sessions, engine):
                yield
        finally:
            gc.unfreeze()  # what the app held may now be collected (tests build many apps)
            await db.close_database(engine)

    sign_offs = SignOffs(current_verifications)
    app = Litestar(
        route_handlers=ROUTE_HANDLERS,
        dependencies={
            "settings": Provide(lambda: settings, use_cache=True, sync_to_thread=False),
            "storage": Provide(lambda: storage, use_cache=True, sync_to_thread=False),
            "sessions": Provide(lambda: sessions, use_cache=True, sync_to_thread=False),
            "events": Provide(lambda: events, use_cache=True, sync_to_thread=False),
            "node": Provide(lambda: node, use_cache=True, sync_to_thread=False),
            "app_shell": Provide(lambda: app_shell, use_cache=True, sync_to_thread=False),
            # Requirements' audit profiles show reviews' verifications, without importing reviews.
            "sign_offs": Provide(lambda: sign_offs, use_cache=True, sync_to_thread=False),
        },
        state=State({"events": events, "node": node, "schedule": schedule}),
        middleware=[DefineMiddleware(BearerTokenMiddleware, settings=settings, sessions=sessions), JsonDepthMiddleware],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=[
            lifespan,
            storage_lifespan(storage, settings),
            export_lifespan(storage, settings, node),
            mail_lifespan(settings),
            scheduling_lifespan(schedule, node, settings),
        ],
        template_config=TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment())),
        request_max_body_size=settings.max_json_body_bytes,
        openapi_config=openapi_config(),
        before_request=answer_options,
        debug=False,
    )
    document_operations(app)
    return app
