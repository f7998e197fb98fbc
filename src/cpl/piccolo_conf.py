"""Piccolo's registry of cpl's apps, and the engine they run on.

Piccolo's migration machinery looks the engine up here (through ``PICCOLO_CONF``), so
``DB`` is set by :func:`cpl.db.bind_engine` from the service's settings rather than built
at import time.
"""

from __future__ import annotations

from piccolo.conf.apps import AppRegistry
from piccolo.engine.base import Engine

DB: Engine | None = None

APP_REGISTRY = AppRegistry(apps=["cpl.piccolo_app"])
