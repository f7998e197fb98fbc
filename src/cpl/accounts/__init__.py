"""Accounts, sign-in sessions and bearer-token authentication."""

from cpl.accounts.routes import AuthController, MeController
from cpl.accounts.service import Principal

__all__ = ["AuthController", "MeController", "Principal"]
