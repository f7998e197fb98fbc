"""Accounts, sign-in sessions and bearer-token authentication."""

from cpl.accounts.pages import AccountPagesController
from cpl.accounts.routes import AuthController, MeController

__all__ = ["AccountPagesController", "AuthController", "MeController"]
