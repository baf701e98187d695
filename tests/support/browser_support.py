"""Real parts for browser tests: Debian's chromium, beside a `recipes serve` process
from tests/support/live_server.py. Later browser suites import these instead of copying them:

    with running_server(tmp_path) as base_url, chromium() as browser:
        context = browser.new_context(); log = ConsoleLog.attach(context)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from tests.support.system import need

CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts"
# Quiet, offline and deterministic: no updates, sync, QUIC or first-run pages.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
]


def chromium_available() -> bool:
    return os.access(CHROMIUM, os.X_OK)


def need_browser() -> None:
    """Skip (outside CI) or fail (in CI) unless Playwright and Debian's chromium are there."""
    need(find_spec("playwright") is not None, "the playwright package is not installed")
    need(chromium_available(), "chromium is not installed (run .ci/setup-browser.sh)")


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Debian chromium through Playwright (`playwright install` is not needed)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class ConsoleLog:
    """Console errors, uncaught exceptions and CSP violations from every page of a context."""

    problems: list[str] = field(default_factory=list)
    # Documents the test loads on purpose with an error status (their console line is expected).
    expected_status: dict[str, int] = field(default_factory=dict)

    @classmethod
    def attach(cls, context: Any) -> ConsoleLog:
        log = cls()
        context.on("console", log._on_console)
        context.on("weberror", lambda error: log.problems.append(f"pageerror: {error.error}"))
        # Also catch violations that the console might word differently or not at all.
        context.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => console.error("
            "'CSP violation: ' + e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"
        )
        return log

    def expect_status(self, url: str, status: int) -> None:
        self.expected_status[url] = status

    def _on_console(self, message: Any) -> None:
        if message.type not in {"error", "warning"} or self._expected(message):
            return
        where = message.location.get("url", "")
        self.problems.append(f"{message.type}: {message.text} ({where})")

    def _expected(self, message: Any) -> bool:
        status = self.expected_status.get(message.location.get("url", ""))
        return status is not None and f"status of {status}" in message.text

    def take(self) -> list[str]:
        """The problems so far, clearing the log (so each step can be checked on its own)."""
        problems, self.problems = self.problems, []
        return problems


# WCAG 2 contrast of every visible text against the background it is drawn on (the first
# ancestor with an opaque background colour). Large text (24px, or 18.66px bold) needs 3:1.
CONTRAST_JS = """
() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] === 1) return c;
    }
    return [255, 255, 255];
  };
  const failures = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(el);
    if (!own || !el.getClientRects().length || style.visibility === "hidden") continue;
    const fg = rgb(style.color), bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const need = size >= 24 || (size >= 18.66 && bold) ? 3 : 4.5;
    const text = el.textContent.trim().slice(0, 30);
    if (ratio < need) failures.push(`${el.tagName}.${el.className} "${text}" ${ratio.toFixed(2)}`);
  }
  return failures;
}
"""


def contrast_failures(page: Any) -> list[str]:
    """Texts on the page whose contrast is below WCAG AA."""
    return page.evaluate(CONTRAST_JS)
