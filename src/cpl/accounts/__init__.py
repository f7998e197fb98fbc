"""Accounts, sign-in sessions and bearer-token authentication."""

from cpl.accounts.routes import AuthController, MeController

__all__ = ["AuthController", "MeController"]
