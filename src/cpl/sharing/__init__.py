"""Consent-based sharing: a worker's shares, and the one function deciding what a viewer sees."""

from cpl.sharing.events import ShareMade, ShareRevoked
from cpl.sharing.routes import ShareController, SharedController
from cpl.sharing.service import end_shares_on_leaving, end_supervision_shares, erase_owner_shares, shares_data
from cpl.sharing.visibility import admits, visible_entry, visible_shares

__all__ = [
    "ShareController",
    "ShareMade",
    "ShareRevoked",
    "SharedController",
    "admits",
    "end_shares_on_leaving",
    "end_supervision_shares",
    "erase_owner_shares",
    "shares_data",
    "visible_entry",
    "visible_shares",
]
