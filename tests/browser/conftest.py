"""The app on the real graph (embedded store), served by uvicorn on 127.0.0.1, and a headless Chromium page.

Chromium is Debian's /usr/bin/chromium (.ci/run installs it); without it, Node.js or web/node_modules the
browser tests skip with a one-line reason, and with ``LINEAGE_REQUIRE_BROWSER=1`` (set by ``.ci/run``) that
skip is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from benchmarks.common import AppServer
from lineage.stores.memory import MemoryStore
from tests.browser.browser import PHONE, Browser, missing


@pytest.fixture(scope="session")
def browser_available() -> None:
    """Chromium and Node.js are here, or the test skips (fails, under LINEAGE_REQUIRE_BROWSER=1)."""
    reason = missing()
    if reason and os.environ.get("LINEAGE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"the browser is required here (LINEAGE_REQUIRE_BROWSER=1) but: {reason}", pytrace=False)
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def origin(memory_real: MemoryStore, browser_available: None) -> Iterator[str]:
    with AppServer(memory_real) as base:
        yield base


@pytest.fixture
def browser(origin: str) -> Iterator[Browser]:
    page = Browser(origin)
    try:
        yield page
    finally:
        page.close()


@pytest.fixture
def phone(origin: str) -> Iterator[Browser]:
    """A page 390 by 844 CSS pixels wide, a phone's."""
    page = Browser(origin, PHONE)
    try:
        yield page
    finally:
        page.close()
