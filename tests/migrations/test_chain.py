"""The migration chain's own rules: one history, and no migration runs application code."""

from __future__ import annotations

import json
import subprocess
import sys

from cpl import piccolo_conf
from cpl.migration_steps import APP_NAME

#: Loads every migration the way Piccolo does, and prints which cpl modules that imported.
_LOAD_THE_CHAIN = """
import json, pathlib, sys
import cpl
from piccolo.apps.migrations.commands.base import BaseMigrationManager
folder = pathlib.Path(cpl.__file__).parent / "piccolo_migrations"
modules = BaseMigrationManager().get_migration_modules(str(folder))
print(json.dumps({"migrations": len(modules), "cpl": sorted(m for m in sys.modules if m.split(".")[0] == "cpl")}))
"""


def test_the_service_has_one_migration_history():
    assert [app.app_name for app in piccolo_conf.APP_REGISTRY.app_configs.values()] == [APP_NAME]


def test_migrations_import_no_application_code():
    loaded = subprocess.run([sys.executable, "-c", _LOAD_THE_CHAIN], capture_output=True, text=True, timeout=120)
    assert loaded.returncode == 0, loaded.stderr
    found = json.loads(loaded.stdout.strip().splitlines()[-1])
    assert found["migrations"] >= 2
    assert found["cpl"] == ["cpl", "cpl.migration_steps"]
