"""Driving the console as a person would: by mouse, or by keyboard only; axe-core in each screen."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
CHROMIUM = os.environ.get("SLRT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
AXE = HERE.parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = HERE.parents[2] / "docs" / "console"
TIMEOUT_MS = 30_000


def skip_reason() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the Python playwright package is missing: pip install -e '.[dev]'"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM}: apt-get install -y chromium (or set SLRT_CHROMIUM)"
    if not AXE.exists():
        return "axe-core is missing: (cd tests/console && npm ci)"
    if os.environ.get("SLRT_TEST_DATABASE_URL"):
        # `slrt-hub demo` runs on SQLite whatever the suite's database; one pass is enough.
        return "the console's browser tests drive `slrt-hub demo` (SQLite); they run in the SQLite pass"
    return None


class Mouse:
    """A person with a mouse: clicks and fills."""

    keyboard_only = False

    def __init__(self, page: Any) -> None:
        self.page = page

    def click(self, selector: str) -> None:
        self.page.locator(selector).first.click()

    def fill(self, selector: str, text: str) -> None:
        self.page.locator(selector).first.fill(text)

    def choose(self, selector: str, value: str) -> None:
        self.page.locator(selector).first.select_option(value)

    def check(self, selector: str) -> None:
        self.page.locator(selector).first.check()

    def date(self, selector: str, iso: str) -> None:
        self.page.locator(selector).first.fill(iso)

    def leave(self, selector: str) -> None:
        self.page.locator(selector).first.blur()

    def tab(self, selector: str) -> None:
        self.click(selector)


class Keyboard:
    """A person using the keyboard only: Tab to a control, then type, Space or Enter."""

    keyboard_only = True
    MAX_TABS = 400

    def __init__(self, page: Any) -> None:
        self.page = page

    def focus(self, selector: str) -> None:
        for _ in range(self.MAX_TABS):
            if self.page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {selector}")

    def click(self, selector: str) -> None:
        self.focus(selector)
        self.page.keyboard.press("Enter")

    def fill(self, selector: str, text: str) -> None:
        self.focus(selector)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(text)

    def choose(self, selector: str, value: str) -> None:
        self.focus(selector)
        # Walk the options with the arrow keys until the wanted one is selected.
        count = self.page.evaluate("(s) => document.activeElement.options.length", selector)
        self.page.keyboard.press("Home")
        for _ in range(count):
            if self.page.evaluate("() => document.activeElement.value") == value:
                return
            self.page.keyboard.press("ArrowDown")
        assert self.page.evaluate("() => document.activeElement.value") == value, f"{selector}: no option {value}"

    def check(self, selector: str) -> None:
        self.focus(selector)
        if not self.page.evaluate("() => document.activeElement.checked"):
            self.page.keyboard.press("Space")

    def date(self, selector: str, iso: str) -> None:
        # The context's locale is en-US: the date field takes month, day, year.
        year, month, day = iso.split("-")
        self.focus(selector)
        self.page.keyboard.type(f"{month}{day}{year}")

    def leave(self, selector: str) -> None:
        self.focus(selector)
        self.page.keyboard.press("Tab")

    def tab(self, selector: str) -> None:
        # A tab list is one Tab stop (the selected tab); the arrow keys move between its tabs.
        self.focus("[role=tab][aria-selected=true]")
        for _ in range(10):
            if self.page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
            self.page.keyboard.press("ArrowRight")
        raise AssertionError(f"the arrow keys never reached {selector}")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text() + "\n;undefined")  # injected over the devtools protocol, past the CSP
    found = page.evaluate("""async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
        .map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) }))""")
    return [v for v in found if v["impact"] in ("serious", "critical")]


UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
  .filter(el => {
    const name = (el.labels && [...el.labels].map(l => l.textContent).join(' ').trim())
      || el.getAttribute('aria-label') || (el.getAttribute('aria-labelledby') || '').split(' ')
        .map(id => document.getElementById(id)).filter(Boolean).map(n => n.textContent).join(' ').trim()
      || (el.tagName === 'BUTTON' ? el.textContent.trim() : '');
    return !name;
  }).map(el => el.outerHTML.slice(0, 120))"""


def unlabelled_controls(page: Any) -> list[str]:
    return list(page.evaluate(UNLABELLED))


def accessible(page: Any, screen: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{screen}: " + json.dumps(violations, indent=1)
    assert unlabelled_controls(page) == [], f"{screen}: unlabelled controls"


def screenshot(page: Any, name: str) -> None:
    """Kept under docs/console/ when SLRT_CONSOLE_SCREENSHOTS=1 (the README shows them)."""
    if os.environ.get("SLRT_CONSOLE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
