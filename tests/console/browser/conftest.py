"""Fixtures of the console's browser tests: one real `slrt-hub demo` process and Debian's
Chromium driven by Playwright, for this package's tests. Package-scoped: Playwright's sync API
runs an event loop of its own, which must be gone before the suite's asyncio fixtures run again."""

from __future__ import annotations

from collections.abc import Iterator
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.console.browser.driving import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, skip_reason
from tests.console.browser.demo import Demo, start_demo, stop_demo

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: Any, items: list[pytest.Item]) -> None:
    reason = skip_reason()
    if reason is None:
        return
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def clean_database() -> None:
    """These tests share one demo process and no test database. (Playwright's sync API runs its
    own event loop, so no asyncio fixture may run beside it: this replaces the suite's.)"""


@pytest.fixture(scope="package")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    started = start_demo(tmp_path_factory.mktemp("console-demo"))
    yield started
    stop_demo(started)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, demo: Demo) -> Iterator[Any]:
    context = browser.new_context(locale="en-US", timezone_id="Asia/Jakarta", viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(f"{demo.url}/console/")
    yield tab
    if errors or os.environ.get("SLRT_CONSOLE_FAILURE_SHOTS"):
        tab.screenshot(path=str(Path(tempfile.gettempdir()) / "slrt-console-last.png"), full_page=True)
    context.close()
    assert errors == [], f"JavaScript errors in the console: {errors}"
