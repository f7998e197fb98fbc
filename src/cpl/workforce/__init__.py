"""An organisation's workforce view: every worker sharing with it, and where each stands."""

from cpl.workforce.marking import RECORD_CHANGES, erase_worker_lines, mark_leaver, mark_new_share, mark_owner
from cpl.workforce.refresh import refresh_all
from cpl.workforce.routes import WorkforceController

__all__ = [
    "RECORD_CHANGES",
    "WorkforceController",
    "erase_worker_lines",
    "mark_leaver",
    "mark_new_share",
    "mark_owner",
    "refresh_all",
]
