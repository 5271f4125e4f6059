"""The front door in a real browser: headless Chromium over a `secgraph serve` on 127.0.0.1.

Every step also fails on any console error the page logged. Skips when Chromium is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from browser import chromium, console_errors, missing_browser
from paths import REPOSITORY
from servers import secgraph_server

pytestmark = pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser()))
ROOT = REPOSITORY
WAIT_SECONDS = 20


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with secgraph_server(root=ROOT) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as driver:
        driver.set_page_load_timeout(WAIT_SECONDS)
        yield driver


@pytest.fixture
def driver(browser: Any) -> Iterator[Any]:
    console_errors(browser)  # start each test with an empty log
    yield browser
    assert console_errors(browser) == []


def _by(driver: Any, css: str) -> list[Any]:
    from selenium.webdriver.common.by import By

    return list(driver.find_elements(By.CSS_SELECTOR, css))


def _wait_for(driver: Any, css: str) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    located = expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
    return WebDriverWait(driver, WAIT_SECONDS).until(located)


def test_home_page_searches(driver: Any, base_url: str) -> None:
    driver.get(base_url + "/")
    assert "secgraph" in driver.title
    assert len(_by(driver, "table.counts tbody tr")) > 5
    box = _by(driver, "#home-q")[0]
    box.send_keys("panamá\n")
    first = _wait_for(driver, "ol.hits li a")
    assert first.text == "Panama"


def test_example_query_shows_rows_and_opens_a_resource(driver: Any, base_url: str) -> None:
    driver.get(base_url + "/query")
    example = next(a for a in _by(driver, ".examples-menu a") if "happened" in a.text)
    example.click()
    _wait_for(driver, "table.results")
    rows = _by(driver, "table.results tbody tr")
    assert len(rows) > 3
    assert [a.text for a in _by(driver, ".result-tools a") if a.text == "Timeline"] == ["Timeline"]
    rows[0].find_elements("css selector", "td a")[0].click()
    heading = _wait_for(driver, "article.resource h1")
    assert heading.text
    assert _by(driver, "#asserted table.facts")


def test_editor_highlights_completes_prefixes_and_runs(driver: Any, base_url: str) -> None:
    from selenium.webdriver.common.keys import Keys

    driver.get(base_url + "/query")
    area = _wait_for(driver, "#query-text")
    area.clear()
    area.send_keys("SELECT ?c WHERE { ?c a sg:Country }")
    assert area.get_attribute("value").startswith(
        "PREFIX sg: <https://w3id.org/secgraph/ontology#>"
    )
    assert [s.text for s in _by(driver, "pre.highlight .tok-keyword")][:2] == ["PREFIX", "SELECT"]
    area.send_keys(Keys.CONTROL, Keys.ENTER)
    _wait_for(driver, "table.results")
    assert len(_by(driver, "table.results tbody tr")) >= 7


def test_timeline_renders(driver: Any, base_url: str) -> None:
    driver.get(base_url + "/views/timeline")
    assert len(_by(driver, "svg.timeline circle")) > 5
    assert "2008" in [t.text for t in _by(driver, "svg.timeline text.year")]


def test_funding_chart_renders(driver: Any, base_url: str) -> None:
    driver.get(base_url + "/views/funding")
    bars = _by(driver, "svg.chart rect.bar")
    assert len(bars) > 3
    assert all(float(bar.get_attribute("width")) > 0 for bar in bars)


def test_network_view_renders(driver: Any, base_url: str) -> None:
    driver.get(base_url + "/views/network?iri=" + quote("https://w3id.org/secgraph/id/sica"))
    assert len(_by(driver, "svg.network a.node")) > 5
    assert _by(driver, "svg.network line.edge")


def test_console_errors_are_read(browser: Any, base_url: str) -> None:
    """The console check can fail: an error a page logs is read back (and then cleared)."""
    browser.get(base_url + "/")
    console_errors(browser)
    browser.execute_script("console.error('planted error')")
    assert any("planted error" in message for message in console_errors(browser))
    assert console_errors(browser) == []


def test_keyboard_reaches_skip_link_and_search_with_visible_focus(
    driver: Any, base_url: str
) -> None:
    from selenium.webdriver.common.keys import Keys

    driver.get(base_url + "/")
    body = _by(driver, "body")[0]
    body.send_keys(Keys.TAB)
    focused = driver.switch_to.active_element
    assert focused.get_attribute("class") == "skip"
    assert focused.rect["x"] >= 0, "the skip link shows itself when focused"
    outline = driver.execute_script("return getComputedStyle(arguments[0]).outlineStyle", focused)
    assert outline == "solid"
    for _ in range(20):  # Tab on until the header's search field has the focus
        if driver.switch_to.active_element.get_attribute("id") == "site-search-q":
            break
        driver.switch_to.active_element.send_keys(Keys.TAB)
    field = driver.switch_to.active_element
    assert field.get_attribute("id") == "site-search-q"
    field.send_keys("sica", Keys.ENTER)
    assert _wait_for(driver, "ol.hits li a").text == "Central American Integration System"


def test_editor_highlighting_follows_the_textarea_scroll(driver: Any, base_url: str) -> None:
    """Long wrapped lines in a scrolled textarea line up with the highlighting under them."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(base_url + "/query")
    area = _wait_for(driver, "#query-text")
    long_line = "# " + "a long comment line that wraps several times " * 6
    text = "\n".join(f"{long_line}{n}\nSELECT ?x{n} WHERE {{ ?x{n} a ?c }}" for n in range(30))
    driver.execute_script(
        "const area = arguments[0]; area.value = arguments[1];"
        "area.dispatchEvent(new InputEvent('input'));"
        "area.scrollTop = area.scrollHeight;",
        area,
        text,
    )
    shadow = _by(driver, "pre.highlight")[0]

    def layers() -> dict[str, float]:
        script = (
            "const [a, s] = arguments; return {areaTop: a.scrollTop, shadowTop: s.scrollTop,"
            " areaWidth: a.clientWidth, shadowWidth: s.clientWidth,"
            " areaHeight: a.scrollHeight, shadowHeight: s.scrollHeight};"
        )
        found: dict[str, float] = driver.execute_script(script, area, shadow)
        return found

    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda _: layers()["shadowTop"] == layers()["areaTop"] > 0
    )
    found = layers()
    assert found["shadowWidth"] == found["areaWidth"], "both layers wrap at the same width"
    assert found["shadowHeight"] == found["areaHeight"], "so the wrapped text is as tall"
    driver.execute_script("arguments[0].scrollTop = 40", area)
    WebDriverWait(driver, WAIT_SECONDS).until(lambda _: layers()["shadowTop"] == 40)
