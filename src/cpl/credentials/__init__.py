"""Signed Open Badges 3.0 / CLR 2.0 credentials for exports, and their verification."""

from cpl.credentials.service import VerificationResult, credential_jwt, issue_clr, verify_credential

__all__ = ["VerificationResult", "credential_jwt", "issue_clr", "verify_credential"]
