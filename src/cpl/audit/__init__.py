"""The audit log (issue 16): security-relevant events, hash-chained, with signed checkpoints.

Recording from a route: ``await cpl.audit.record(request, "share.granted", subject=…, object=…)``
(see :mod:`cpl.audit.recording`).
"""

from cpl.audit.checkpoints import CHECKPOINT_TYP, checkpoint_document, write_checkpoint_if_due
from cpl.audit.privacy import audit_events_about, forget_erased_account, purge_audit_events_older_than
from cpl.audit.recording import AuditLog, Client, record, recorded
from cpl.audit.routes import AccessLogController, CheckpointController
from cpl.audit.verify import ChainBroken, ChainReport, verify_chain

__all__ = [
    "CHECKPOINT_TYP",
    "AccessLogController",
    "AuditLog",
    "ChainBroken",
    "ChainReport",
    "CheckpointController",
    "Client",
    "audit_events_about",
    "checkpoint_document",
    "forget_erased_account",
    "purge_audit_events_older_than",
    "record",
    "recorded",
    "verify_chain",
    "write_checkpoint_if_due",
]
