"""Exports of a worker's record (portable JSON, CSV, PDF, credential, signed bundle), their
verification, share links, and imports of a portable record or bundle."""

from cpl.exports.job_leases import stale_job_recovery
from cpl.exports.jobs import export_lifespan
from cpl.exports.portable_record import build_record
from cpl.exports.public_routes import ExportLinkController, SchemaController, VerifyController
from cpl.exports.routes import ExportController, ExportShareController, ImportController

__all__ = [
    "ExportController",
    "ExportLinkController",
    "ExportShareController",
    "ImportController",
    "SchemaController",
    "VerifyController",
    "build_record",
    "export_lifespan",
    "stale_job_recovery",
]
