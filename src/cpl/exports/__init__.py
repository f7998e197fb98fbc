"""Exports of a worker's record (portable JSON, CSV, PDF, credential, signed bundle), their
verification, share links, and imports of a portable record or bundle."""

from cpl.exports.job_leases import stale_job_recovery
from cpl.exports.jobs import export_lifespan
from cpl.exports.portable_record import build_record
from cpl.exports.public_routes import SchemaController, VerifyController
from cpl.exports.routes import ExportController, ExportShareController, ImportController
from cpl.exports.service import exports_data, withdraw_owner_exports
from cpl.exports.share_routes import ExportLinkController

__all__ = [
    "ExportController",
    "ExportLinkController",
    "ExportShareController",
    "ImportController",
    "SchemaController",
    "VerifyController",
    "build_record",
    "export_lifespan",
    "exports_data",
    "withdraw_owner_exports",
    "stale_job_recovery",
]
