"""The worker's phone app (issue 13): its build, served by cpl at ``/app/``."""

from cpl.web.routes import WebAppController, open_app
from cpl.web.shell import STATIC_FOLDER, AppShell

__all__ = ["STATIC_FOLDER", "AppShell", "WebAppController", "open_app"]
