"""Piccolo's registry of cpl's apps, and the engine they run on.

Piccolo's migration machinery looks the engine up here (through ``PICCOLO_CONF``), so
``DB`` is set by :func:`cpl.db.bind_engine` from the service's settings rather than built
at import time.
"""

from __future__ import annotations

from piccolo.conf.apps import AppRegistry
from piccolo.engine.base import Engine

DB: Engine | None = None

APP_REGISTRY = AppRegistry(
    apps=[
        "cpl.accounts.piccolo_app",
        "cpl.evidence.piccolo_app",
        "cpl.attachments.piccolo_app",
        "cpl.competences.piccolo_app",
        "cpl.requirements.piccolo_app",
        "cpl.signing.piccolo_app",
        "cpl.exports.piccolo_app",
        "cpl.organisations.piccolo_app",
        "cpl.sharing.piccolo_app",
        "cpl.reviews.piccolo_app",
        "cpl.notifications.piccolo_app",
    ]
)
