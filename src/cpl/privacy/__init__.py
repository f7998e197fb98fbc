"""The person's rights over their data: erasure (GDPR Art. 17), a copy of it all (Art. 15, 20),
and retention (what cpl deletes once kept long enough)."""

from cpl.privacy.data_export import erase_data_exports
from cpl.privacy.jobs import PrivacyJob, privacy_lifespan
from cpl.privacy.retention import run_retention
from cpl.privacy.routes import DataExportController
from cpl.privacy.sections import DataSections

__all__ = [
    "DataExportController",
    "DataSections",
    "PrivacyJob",
    "erase_data_exports",
    "privacy_lifespan",
    "run_retention",
]
