"""Accounts, sign-in sessions, bearer-token authentication and the second factor."""

from cpl.accounts.pages import AccountPagesController
from cpl.accounts.routes import AuthController, ErasureStatusController, MeController
from cpl.accounts.second_factor import require_second_factor
from cpl.accounts.second_factor_routes import SecondFactorController, SignInSecondStepController
from cpl.accounts.service import credential_subject

__all__ = [
    "AccountPagesController",
    "AuthController",
    "ErasureStatusController",
    "MeController",
    "SecondFactorController",
    "SignInSecondStepController",
    "credential_subject",
    "require_second_factor",
]
