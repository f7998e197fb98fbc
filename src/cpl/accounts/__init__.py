"""Accounts, sign-in sessions and bearer-token authentication."""

from cpl.accounts.routes import AuthController, MeController
from cpl.accounts.service import credential_subject

__all__ = ["AuthController", "MeController", "credential_subject"]
