"""cpl's one Piccolo app: every domain's tables, and the service's one migration history.

Piccolo runs an app's migrations in the order of their IDs and all of one app's before the
next app's, so a single app is what gives every migration of the service one total order.
A domain's tables are listed here; its migrations go in ``cpl/piccolo_migrations``
(see the README there).
"""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from cpl.accounts.second_factor_tables import RecoveryCode, SecondFactor, SignInChallenge
from cpl.accounts.tables import Account, AccountErasure, AuthSession, EmailLink
from cpl.attachments.tables import Attachment, AttachmentLink, StorageGarbage, UploadSlot
from cpl.audit.tables import AuditCheckpoint, AuditEvent
from cpl.audit_requests.tables import AuditRequest
from cpl.competences.tables import CompetenceAssociation, CompetenceFramework, CompetenceItem, CompetenceLink
from cpl.evidence.tables import EvidenceChangeCounter, EvidenceEntry, IdempotencyRecord
from cpl.exports.tables import Export, ExportAccess, ExportShare, WithdrawnExport
from cpl.mail.tables import MailOutbox
from cpl.notifications.tables import Notification
from cpl.organisations.tables import Invitation, Membership, Organisation, OrganisationVetting, SupervisionLink
from cpl.privacy.tables import DataExport
from cpl.push.tables import PushSubscription, VapidKey
from cpl.reminders.tables import CalendarFeed, ReminderCheck, ReminderSent, ReminderSettings
from cpl.requirements.tables import GapExplanation, PeerDiscussion, Registration
from cpl.reviews.tables import Review, ReviewEvent, Verification
from cpl.scheduling.tables import NodeBeat, ScheduledRun
from cpl.sharing.tables import Share, SharedEntry
from cpl.signing.tables import IssuerKey
from cpl.throttling.tables import AttemptCounter
from cpl.workforce.tables import WorkforceLine, WorkforceRegistration
from cpl.xapi.tables import LrsCredential, Suggestion, SuggestionConsent, XapiStatement

APP_CONFIG = AppConfig(
    app_name="cpl",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[
        Account,
        AuthSession,
        SecondFactor,
        RecoveryCode,
        SignInChallenge,
        AttemptCounter,
        EvidenceEntry,
        EvidenceChangeCounter,
        IdempotencyRecord,
        Attachment,
        AttachmentLink,
        UploadSlot,
        StorageGarbage,
        CompetenceFramework,
        CompetenceItem,
        CompetenceAssociation,
        CompetenceLink,
        Registration,
        GapExplanation,
        PeerDiscussion,
        IssuerKey,
        Export,
        ExportShare,
        ExportAccess,
        WithdrawnExport,
        AccountErasure,
        DataExport,
        Organisation,
        Membership,
        Invitation,
        SupervisionLink,
        OrganisationVetting,
        Share,
        SharedEntry,
        Review,
        ReviewEvent,
        Verification,
        Notification,
        EmailLink,
        MailOutbox,
        AuditEvent,
        AuditCheckpoint,
        AuditRequest,
        ScheduledRun,
        NodeBeat,
        WorkforceLine,
        WorkforceRegistration,
        ReminderSettings,
        ReminderSent,
        CalendarFeed,
        ReminderCheck,
        PushSubscription,
        VapidKey,
        LrsCredential,
        SuggestionConsent,
        XapiStatement,
        Suggestion,
    ],
    migration_dependencies=[],
    commands=[],
)
