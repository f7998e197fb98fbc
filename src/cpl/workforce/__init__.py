"""An organisation's workforce view: every worker sharing with it, and where each stands."""

from cpl.workforce.routes import WorkforceController

__all__ = ["WorkforceController"]
