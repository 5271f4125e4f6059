"""What the conformance scripts share: importing the shared harness and writing a summary."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any


def load_harness(suite: Path) -> ModuleType:
    """Import the shared harness (../shared/tools/sparql_suite.py beside the suite) for its
    manifest reader, dataset writer and result comparison."""
    path = suite.parent / "tools" / "sparql_suite.py"
    spec = importlib.util.spec_from_file_location("sparql_suite", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_summary(rows: list[dict[str, Any]], report: Path | None) -> None:
    """Count ``rows`` by status, write them to ``report`` (JSON) if given, print the counts."""
    counts = Counter(row["status"] for row in rows)
    if report:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(json.dumps({"tests": rows, "summary": counts}, indent=1) + "\n")
    print(f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
