"""Audit requests: a regulator's auditor asks a worker for their record; the worker answers with an export."""

from cpl.audit_requests.routes import AuditRequestController, MyAuditRequestController

__all__ = ["AuditRequestController", "MyAuditRequestController"]
