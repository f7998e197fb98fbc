"""The application factory."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from cpl import db
from cpl.accounts import (
    AccountPagesController,
    AuthController,
    ErasureStatusController,
    MeController,
    SecondFactorController,
    SignInSecondStepController,
)
from cpl.accounts.auth import PUBLIC, BearerTokenMiddleware
from cpl.accounts.cookies import warn_if_public_address_is_plain_http
from cpl.accounts.erasure import account_data, forget_account, session_data
from cpl.accounts.events import AccountErased
from cpl.accounts.session_cache import SessionCache, listening
from cpl.api_document import answer_options, document_operations, openapi_config
from cpl.attachments import (
    AttachmentController,
    EntryAttachmentsController,
    LocalUploadController,
    UploadController,
    erase_owner_files,
    files_data,
    files_of,
    release_deleted_entry,
)
from cpl.attachments.cleanup import storage_lifespan
from cpl.audit import (
    CHECKPOINT_TYP,
    AccessLogController,
    AuditLog,
    CheckpointController,
    audit_events_about,
    forget_erased_account,
    write_checkpoint_if_due,
)
from cpl.audit_requests import AuditRequestController, MyAuditRequestController
from cpl.competences import (
    CaseController,
    CompetenceSearchController,
    CoverageController,
    EntryCompetenceController,
    FrameworkController,
    ensure_built_in_frameworks,
    erase_owner_links,
    forget_entry_links,
    links_data,
)
from cpl.database_faults import OutageLog
from cpl.evidence import (
    EntriesSaved,
    EntryDeleted,
    EvidenceController,
    SyncController,
    entries_data,
    erase_entries,
    erase_stored_responses,
)
from cpl.exports import (
    ExportController,
    ExportLinkController,
    ExportShareController,
    ImportController,
    SchemaController,
    VerifyController,
    export_lifespan,
    exports_data,
    stale_job_recovery,
    withdraw_owner_exports,
)
from cpl.health import health, health_live, health_ready
from cpl.kernel.events import EventBus
from cpl.kernel.json_depth import JsonDepthMiddleware
from cpl.mail import mail_lifespan
from cpl.metrics import count_response, metrics
from cpl.notifications import NotificationController, erase_recipient, notifications_data, push_undelivered
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
    erase_invitations,
    erase_member,
    memberships_data,
)
from cpl.page_headers import ASSETS_PATH, secure_html_pages
from cpl.privacy import (
    DataExportController,
    DataSections,
    PrivacyJob,
    erase_data_exports,
    privacy_lifespan,
    run_retention,
)
from cpl.private_files import private_folder
from cpl.problems import EXCEPTION_HANDLERS
from cpl.push import (
    PushKeyController,
    PushSubscriptionController,
    courier_lifespan,
    ensure_vapid_key,
    erase_subscriptions,
    push_subscriptions_data,
)
from cpl.reminders import (
    CalendarController,
    CalendarFeedController,
    ReminderSettingsController,
    erase_reminders,
    reminders_data,
    run_reminders,
)
from cpl.request_log import RequestIdMiddleware, answer_request_id, install_record_factory, logging_config
from cpl.requirements import (
    GapExplanationController,
    PeerDiscussionController,
    ProgressController,
    RegistrationController,
    RequirementPackController,
    SignOffs,
    check_requirement_packs,
    erase_owner_peer_discussions,
    erase_owner_registrations,
    forget_peer_discussion,
    gap_explanations_data,
    peer_discussions_data,
    registrations_data,
)
from cpl.reviews import (
    EntryVerificationController,
    ReviewController,
    TeamController,
    close_reviews_of_deleted_entry,
    close_reviews_of_ended_supervision,
    close_reviews_of_revoked_share,
    close_reviews_on_leaving,
    current_verifications,
    erase_reviews_received,
    notify_stale_verifications,
    reviews_given_data,
    reviews_received_data,
)
from cpl.scheduling import Node, Schedule, ScheduledWork, dead_node_cleanup, scheduling_lifespan
from cpl.settings import Settings
from cpl.sharing import (
    ShareController,
    SharedController,
    ShareMade,
    ShareRevoked,
    end_shares_on_leaving,
    end_supervision_shares,
    erase_owner_shares,
    shares_data,
)
from cpl.signing import IssuerKeyController, WellKnownController, ensure_issuer_key, sign_payload
from cpl.storage import Storage, open_storage
from cpl.templating import ASSETS_FOLDER, environment
from cpl.tracing import tracing_plugins
from cpl.web import STATIC_FOLDER, AppShell, WebAppController, open_app
from cpl.workforce import (
    RECORD_CHANGES,
    WorkforceController,
    erase_worker_lines,
    mark_leaver,
    mark_new_share,
    mark_owner,
    refresh_all,
)
from cpl.xapi import (
    LrsAboutController,
    LrsCredentialController,
    LrsStatementController,
    MyXapiController,
    SuggestionConsentController,
    SuggestionController,
    TrainingRecordController,
    accept_on_entries_created,
    consents_data,
    erase_suggestions,
    suggestions_data,
)

ROUTE_HANDLERS = [
    health,
    health_live,
    health_ready,
    metrics,
    AuthController,
    MeController,
    EvidenceController,
    SyncController,
]
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
ROUTE_HANDLERS += [ReminderSettingsController, CalendarFeedController, CalendarController]
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
    PushKeyController,
    PushSubscriptionController,
    AuditRequestController,
    MyAuditRequestController,
    WorkforceController,
]
ROUTE_HANDLERS += [
    ExportController,
    ExportShareController,
    ImportController,
    SchemaController,
    VerifyController,
    ExportLinkController,
]
ROUTE_HANDLERS += [CheckpointController, AccessLogController]
ROUTE_HANDLERS += [ErasureStatusController, DataExportController]
#: Learning from employers' systems (issue 19).
ROUTE_HANDLERS += [
    LrsStatementController,
    LrsAboutController,
    LrsCredentialController,
    TrainingRecordController,
    SuggestionConsentController,
    SuggestionController,
    MyXapiController,
]
ROUTE_HANDLERS += [open_app, WebAppController, AccountPagesController, InvitationPageController]
#: The server-rendered pages' style sheet and the verification page's file check (no inline code: the
#: pages' Content-Security-Policy allows none).
ROUTE_HANDLERS += [
    create_static_files_router(
        ASSETS_PATH, [ASSETS_FOLDER], name="page_assets", opt={PUBLIC: True}, include_in_schema=False
    )
]


def subscribe_handlers(events: EventBus) -> None:
    """Which domain reacts to which event, in the order the handlers run (CONVENTIONS rule 13)."""
    events.subscribe(EntryDeleted, release_deleted_entry)
    events.subscribe(EntryDeleted, forget_peer_discussion)
    events.subscribe(EntryDeleted, forget_entry_links)
    events.subscribe(MembershipEnded, end_shares_on_leaving)
    events.subscribe(SupervisionEnded, end_supervision_shares)
    events.subscribe(EntryDeleted, close_reviews_of_deleted_entry)
    events.subscribe(ShareRevoked, close_reviews_of_revoked_share)
    events.subscribe(SupervisionEnded, close_reviews_of_ended_supervision)
    events.subscribe(MembershipEnded, close_reviews_on_leaving)
    events.subscribe(EntriesSaved, notify_stale_verifications)
    events.subscribe(EntriesSaved, accept_on_entries_created)
    events.subscribe(AccountErased, forget_erased_account)
    for change in RECORD_CHANGES:
        events.subscribe(change, mark_owner)
    events.subscribe(ShareMade, mark_new_share)
    events.subscribe(MembershipEnded, mark_leaver)
    # Erasure: files and exports first (they queue their objects before the rows that name them
    # go), then everything keyed to the entries, the entries, and the account row last.
    for erase in (
        erase_owner_files,
        withdraw_owner_exports,
        erase_data_exports,
        erase_owner_links,
        erase_owner_peer_discussions,
        erase_owner_registrations,
        erase_reviews_received,
        erase_owner_shares,
        erase_worker_lines,
        erase_recipient,
        erase_reminders,
        erase_subscriptions,
        erase_member,
        erase_invitations,
        erase_suggestions,
        erase_stored_responses,
        erase_entries,
        forget_account,
    ):
        events.subscribe(AccountErased, erase)


def data_sections() -> DataSections:
    """What "download my data" holds, section by section, in the order of its index."""
    sections = DataSections()
    sections.register("account", account_data)
    sections.register("sessions", session_data)
    sections.register("entries", entries_data)
    sections.register("files", files_data)
    sections.register("competence_links", links_data)
    sections.register("registrations", registrations_data)
    sections.register("gap_explanations", gap_explanations_data)
    sections.register("peer_discussions", peer_discussions_data)
    sections.register("shares", shares_data)
    sections.register("reviews_received", reviews_received_data)
    sections.register("reviews_and_verifications_given", reviews_given_data)
    sections.register("notifications", notifications_data)
    sections.register("reminders", reminders_data)
    sections.register("push_subscriptions", push_subscriptions_data)
    sections.register("organisations", memberships_data)
    sections.register("learning_suggestions", suggestions_data)
    sections.register("suggestion_consents", consents_data)
    sections.register("exports", exports_data)
    sections.register("audit_events", audit_events_about)
    sections.register_files(files_of)
    return sections


def schedule_work(schedule: Schedule, settings: Settings, storage: Storage) -> None:
    """The work that runs once per period across every node on the database (issues 16 and 18)."""
    schedule.add(stale_job_recovery(settings))
    schedule.add(dead_node_cleanup(settings))
    sign_checkpoint = partial(sign_payload, settings, typ=CHECKPOINT_TYP)
    schedule.add(
        ScheduledWork(
            "audit-checkpoint", settings.audit_checkpoint_interval, partial(write_checkpoint_if_due, sign_checkpoint)
        )
    )
    schedule.add(ScheduledWork("push-undelivered", settings.push_sweep_interval, partial(push_undelivered, settings)))
    schedule.add(ScheduledWork("retention", settings.retention_interval, partial(run_retention, settings, storage)))
    schedule.add(ScheduledWork("workforce-refresh", settings.workforce_refresh_interval, refresh_all))
    if settings.reminders_interval:
        schedule.add(ScheduledWork("reminders", settings.reminders_interval, partial(run_reminders, settings)))


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
    schedule_work(schedule, settings, storage)
    app_shell = AppShell(settings.web_app_folder or STATIC_FOLDER)
    outage = OutageLog(lambda: db.database_reachable(engine, settings.database_connect_timeout_seconds))
    warn_if_public_address_is_plain_http(settings)
    install_record_factory()

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        await db.open_database(engine, settings)
        try:
            await ensure_built_in_frameworks()
            await ensure_issuer_key(settings)
            await ensure_vapid_key(settings)
            # The start-up heap (~130,000 objects) stays out of every later full collection,
            # which otherwise took ~65 ms in the middle of a request (bench/RESULTS.md, issue 5).
            gc.freeze()
            async with listening(sessions, engine):
                yield
        finally:
            gc.unfreeze()  # what the app held may now be collected (tests build many apps)
            await outage.close()
            await db.close_database(engine)

    sign_offs = SignOffs(current_verifications)
    privacy_job = PrivacyJob(settings, storage, events, data_sections())
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
        state=State(
            {
                "events": events,
                "audit": AuditLog(settings),
                "database_outage": outage,
                "node": node,
                "schedule": schedule,
            }
        ),
        middleware=[
            DefineMiddleware(RequestIdMiddleware, settings=settings),
            DefineMiddleware(BearerTokenMiddleware, settings=settings, sessions=sessions),
            JsonDepthMiddleware,
        ],
        before_send=[answer_request_id, count_response, secure_html_pages],
        logging_config=logging_config(settings),
        plugins=tracing_plugins(settings),
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=[
            lifespan,
            storage_lifespan(storage, settings),
            export_lifespan(storage, settings, node),
            mail_lifespan(settings),
            courier_lifespan(settings),
            privacy_lifespan(privacy_job),
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
