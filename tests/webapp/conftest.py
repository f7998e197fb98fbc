"""Harness of the browser tests: a real cpl server and Debian's Chromium driven by Playwright.

The server is ``cpl serve`` in a subprocess on a free port, with its own SQLite database and
local file storage in a temporary folder, serving the web app's build committed in the package.
The browser is ``/usr/bin/chromium`` (Playwright's own browser download is not used), one phone-
sized, touch-enabled context per test, with Chromium's fake microphone.

Under CI (``CI`` set) a missing browser or Playwright fails the tests; elsewhere they skip and say
how to install them. They run once, in the SQLite leg: with ``CPL_TEST_DATABASE_URL`` set they
are deselected, as the server they start keeps its data in SQLite either way.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import FAST_HASHING, POSTGRES_URL
from tests.mailbox import FolderMailbox

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # a microphone that plays a tone, granted without asking (the voice-note test)
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]
INSTALL = "install them with `apt-get install -y chromium` and `pip install -e '.[test]'`"
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives the web app in Chromium against a running cpl server")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not POSTGRES_URL:
        return
    browser_tests = [item for item in items if item.get_closest_marker("browser")]
    if browser_tests:
        config.hook.pytest_deselected(items=browser_tests)
        items[:] = [item for item in items if not item.get_closest_marker("browser")]


def missing(what: str) -> None:
    """Fail under CI, skip elsewhere."""
    message = f"{what} is missing: {INSTALL}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def playwright_driver() -> Iterator:
    """Playwright's sync API, for one test module: it runs an event loop for as long as it is open,
    and pytest-asyncio cannot start one for an async test meanwhile."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def chromium(playwright_driver) -> Iterator:
    if not CHROMIUM.exists():
        missing(f"Chromium ({CHROMIUM})")
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
    yield browser
    browser.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(base_url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"cpl serve exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    pytest.fail(f"cpl serve did not answer within 90 s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def cpl_server_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data folder of :func:`cpl_server`."""
    return tmp_path_factory.mktemp("cpl-server")


@pytest.fixture(scope="session")
def cpl_mailbox(cpl_server_data: Path) -> FolderMailbox:
    """The mail :func:`cpl_server` sent (it has no SMTP server, so each message is a file in its mail folder)."""
    return FolderMailbox(cpl_server_data / "mail")


@pytest.fixture(scope="session")
def cpl_server(cpl_server_data: Path) -> Iterator[str]:
    """A running ``cpl serve``; its base URL (``http://127.0.0.1:<port>``)."""
    data = cpl_server_data
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith("CPL_")},
        "CPL_DATA_DIR": str(data),
        "CPL_PUBLIC_BASE_URL": base_url,
        **{f"CPL_{name.upper()}": str(value) for name, value in FAST_HASHING.items()},
        # Every browser test of this worker signs people up on this one server from 127.0.0.1; the
        # throttle itself is tests/throttling's.
        "CPL_SIGNUP_ATTEMPTS_PER_ADDRESS": "100000",
    }
    command = shutil.which("cpl", path=str(Path(sys.executable).parent)) or "cpl"
    log = data / "server.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [command, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env, stdout=output, stderr=output
        )
    try:
        _wait_until_up(base_url, server, log)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def phone(chromium, cpl_server: str) -> Iterator:
    """A fresh phone-sized browser context on the server (its own cookies, storage and service worker)."""
    context = chromium.new_context(base_url=cpl_server, **PHONE)
    context.set_default_timeout(15_000)
    yield context
    context.close()
