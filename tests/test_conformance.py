"""Conformance gate: the W3C SPARQL query suites against `secgraph serve`, and the entailment tests
through secgraph.build.reason, fail on anything outside tests/conformance/expected-failures.txt.

The list is exact: a listed test that passes (or no longer runs) fails the gate too, so the list
can only shrink. Needs the shared folder beside the project (``../shared/tools/sparql_suite.py``
and ``../shared/w3c-sparql``, as CI has it); skips, saying so, without it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
SHARED = ROOT.parent / "shared"
HARNESS = SHARED / "tools" / "sparql_suite.py"
SUITE = SHARED / "w3c-sparql"
EXPECTED = Path(__file__).parent / "conformance" / "expected-failures.txt"
LAUNCH = "{python} -m secgraph serve --data {trig} --port {port} --workers 1"
ENDPOINT = "http://127.0.0.1:{port}/sparql"
JOBS = os.environ.get("SECGRAPH_CONFORMANCE_JOBS", "2")
GATE_SECONDS = 1800  # the whole run; about 2 minutes on 2 cores

pytestmark = pytest.mark.skipif(
    not (HARNESS.is_file() and SUITE.is_dir()),
    reason="conformance gate skipped: ../shared/tools/sparql_suite.py and ../shared/w3c-sparql"
    " are not beside the project",
)


def expected_failures(path: Path = EXPECTED) -> dict[str, str]:
    """Test id -> cause, from ``<id>  # <cause>`` lines; ``#`` lines and blank ones are comments."""
    listed: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        test, _, cause = line.partition("  # ")  # test ids hold '#' themselves
        if not test.strip() or not cause.strip() or test.strip() in listed:
            raise ValueError(f"{path.name}:{number}: want one '<test id>  # <cause>' per test")
        listed[test.strip()] = cause.strip()
    return listed


def _failed_and_run(report: Path) -> tuple[set[str], set[str]]:
    rows = json.loads(report.read_text(encoding="utf-8"))["tests"]
    run = {row["id"] for row in rows if row["status"] in ("passed", "failed")}
    return {row["id"] for row in rows if row["status"] == "failed"}, run


def _run(command: list[str]) -> None:
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=GATE_SECONDS, check=False
    )
    assert done.returncode == 0, f"{command[1]} exited {done.returncode}:\n{done.stderr[-4000:]}"


def _gate(failed: set[str], run: set[str], listed: dict[str, str]) -> list[str]:
    """What breaks the gate: unlisted failures, listed tests that pass or did not run."""
    problems = [f"new failure: {test}" for test in sorted(failed - set(listed))]
    problems += [
        f"listed but {'passes' if test in run else 'not run'}: {test} (remove it from the list)"
        for test in sorted(set(listed) - failed)
    ]
    return problems


def test_w3c_suites_fail_only_as_listed(tmp_path: Path) -> None:
    queries, entailment = tmp_path / "suite.json", tmp_path / "entailment.json"
    _run(
        [
            sys.executable,
            str(HARNESS),
            "--suite",
            str(SUITE),
            "--launch",
            LAUNCH,
            "--endpoint",
            ENDPOINT,
            "-j",
            JOBS,
            "--from-graphs",
            "preload",  # the FROM / FROM NAMED tests too, their graphs preloaded
            "--label",
            "secgraph",
            "--report",
            str(queries),
        ]
    )
    entailment_script = ROOT / "bench" / "conformance" / "entailment.py"
    _run(
        [sys.executable, str(entailment_script), "--suite", str(SUITE), "--report", str(entailment)]
    )
    failed, run = _failed_and_run(queries)
    more_failed, more_run = _failed_and_run(entailment)
    assert len(run) > 800, f"only {len(run)} query tests ran: is the suite complete?"
    problems = _gate(failed | more_failed, run | more_run, expected_failures())
    assert not problems, "\n".join(problems)


def test_gate_refuses_new_failures_and_stale_entries() -> None:
    listed = {"a": "cause", "b": "cause"}
    assert _gate({"a", "b"}, {"a", "b", "c"}, listed) == []
    assert _gate({"a", "b", "c"}, {"a", "b", "c"}, listed) == ["new failure: c"]
    assert _gate({"a"}, {"a", "b"}, listed) == ["listed but passes: b (remove it from the list)"]
    assert _gate({"a"}, {"a"}, listed) == ["listed but not run: b (remove it from the list)"]


def test_every_listed_failure_names_its_cause(tmp_path: Path) -> None:
    assert all(expected_failures().values())
    broken = tmp_path / "list.txt"
    broken.write_text("sparql10/x/manifest#t\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"list\.txt:1"):
        expected_failures(broken)
