"""Accessibility in a real browser: axe-core run over every page of the web interface.

axe-core (npm package, pinned in the Makefile) is installed by `make test` into build/npm and
injected into each page from there, never from a CDN. A serious or critical violation of the
WCAG 2.x A/AA rules fails the page. Skips, saying why, without Chromium or without axe-core.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from browser import chromium, console_errors, missing_browser
from paths import REPOSITORY
from servers import secgraph_server

ROOT = REPOSITORY
AXE = ROOT / "build" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
WAIT_SECONDS = 30
AUDIT_SECONDS = 180
"""axe-core checks each element of /ontology's long tables: minutes on a busy machine."""
FAILING_IMPACTS = ("serious", "critical")
SICA = quote("https://w3id.org/secgraph/id/sica")
PAGES = (
    "/",
    "/search?q=" + quote("panamá"),
    "/query",
    "/query?example=agreements-signed-by-country",
    "/id/sica",
    "/id/carsi",
    "/views/timeline",
    "/views/funding",
    "/views/funding?iri=" + quote("https://w3id.org/secgraph/id/carsi"),
    "/views/network?iri=" + SICA,
    "/ontology",
    "/shapes",
    "/graph/carsi-fact-sheet-2012",
    "/id/no-such-thing",
)
NOT_FOUND = "/id/no-such-thing"
"""The 404 page: the browser logs the status itself, and only that is allowed there."""
# axe-core's rule tags for WCAG 2.0, 2.1 and 2.2 levels A and AA.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")


def _missing() -> str | None:
    if (reason := missing_browser()) is not None:
        return reason
    if not AXE.is_file():
        return "axe-core is not installed at build/npm (`make test` installs it with npm)"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=str(_missing()))


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with secgraph_server(root=ROOT) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as driver:
        driver.set_page_load_timeout(WAIT_SECONDS)
        driver.set_script_timeout(AUDIT_SECONDS)
        yield driver


def audit(driver: Any) -> list[str]:
    """The serious and critical axe-core violations of the page open in ``driver``, one line
    per rule: its id, impact, help text and the first offending elements."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then((result) => done(result.violations), (error) => done([{id: 'axe-error',"
        " impact: 'critical', help: String(error), nodes: []}]));",
        list(WCAG_TAGS),
    )
    return [
        f"{item['id']} ({item['impact']}): {item['help']} at "
        + "; ".join(" ".join(node["target"]) for node in item["nodes"][:3])
        for item in violations
        if item["impact"] in FAILING_IMPACTS
    ]


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_accessibility_violation(
    browser: Any, base_url: str, path: str
) -> None:
    console_errors(browser)
    browser.get(base_url + path)
    assert audit(browser) == []
    errors = console_errors(browser)
    if path == NOT_FOUND:
        errors = [error for error in errors if "status of 404" not in error]
    assert errors == []


def test_the_audit_reports_a_planted_violation(browser: Any, base_url: str) -> None:
    """The check can fail: an unlabelled field and low-contrast text added to a page are found."""
    browser.get(base_url + "/")
    browser.execute_script(
        "const main = document.querySelector('main');"
        'main.insertAdjacentHTML(\'beforeend\', \'<input type="text" id="planted">'
        '<p style="color:#bbb;background:#fff">planted pale text</p>\');'
    )
    found = " ".join(audit(browser))
    assert "label (critical)" in found
    assert "color-contrast (serious)" in found
