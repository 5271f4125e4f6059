"""Screenshots of each page of the web interface into docs/screens/, for the README.

Starts `secgraph serve` on a free 127.0.0.1 port over the shipped project, opens each page in
headless Debian Chromium (the same browser and flags as tests/web/pages/test_browser.py), saves a
PNG, and prints how long each page took to load. Usage: ``python bench/screens/run.py [--out DIR]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))  # the browser and server helpers the tests use

from browser import chromium, console_errors, missing_browser  # noqa: E402
from servers import secgraph_server  # noqa: E402

SICA = quote("https://w3id.org/secgraph/id/sica")
PAGES = (
    ("home", "/"),
    ("search", "/search?q=" + quote("panamá")),
    ("query", "/query?example=agreements-signed-by-country"),
    ("resource", "/id/carsi"),
    ("timeline", "/views/timeline"),
    ("funding", "/views/funding"),
    ("network", "/views/network?iri=" + SICA),
    ("ontology", "/ontology"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    out: Path = parser.parse_args().out
    reason = missing_browser()
    if reason is not None:
        print(f"skipped: {reason}", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    failures = 0
    with secgraph_server(root=ROOT) as base, chromium() as driver:
        print(f"{'page':<10} {'load ms':>8} {'PNG bytes':>10}  console errors")
        for name, path in PAGES:
            started = time.perf_counter()
            driver.get(base + path)
            elapsed = (time.perf_counter() - started) * 1000
            target = out / f"{name}.png"
            driver.save_screenshot(str(target))
            errors = console_errors(driver)
            failures += bool(errors)
            print(f"{name:<10} {elapsed:8.0f} {target.stat().st_size:10d}  {len(errors)}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
