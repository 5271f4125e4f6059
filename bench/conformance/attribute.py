"""Attribute each failure of a conformance run: ours, or pyoxigraph's own?

Measurement, not a unit test. Re-runs every test a sparql_suite.py report marks failed against
plain pyoxigraph in process (the harness's dataset file loaded into an ``ox.Store``, the query
run as is, the answer compared by the harness's own comparison). A test that fails there too is
the engine's; one that passes there is a bug of ours (protocol, formats, dataset handling).

    .venv/bin/python bench/conformance/attribute.py --suite ../shared/w3c-sparql \\
        --report var/conformance/suite.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox
from harness import load_harness
from rdflib import Graph


def plain_pyoxigraph(harness: ModuleType, case: Any, cache: Any) -> tuple[bool, str]:
    """Whether the test passes in plain pyoxigraph, and what went wrong if not."""
    text = Path(case.query_path).read_text(encoding="utf-8").removeprefix("\ufeff")
    info = harness.QueryInfo(text)
    if case.category == "syntax":
        try:
            ox.Store().query(text)
        except SyntaxError as error:
            return case.type.startswith("Negative"), f"rejected: {error}"
        except RuntimeError as error:  # parsed, then refused while planned (an unknown function)
            return case.type.startswith("Positive"), f"accepted, then refused: {error}"
        return case.type.startswith("Positive"), "accepted"
    with tempfile.TemporaryDirectory() as directory:
        trig, nquads = Path(directory, "data.trig"), Path(directory, "data.nq")
        harness.write_dataset(list(case.data), list(case.graph_data), cache, trig, nquads)
        store = ox.Store()
        store.load(path=trig, format=ox.RdfFormat.TRIG)
    query = f"BASE <{case.query_iri}>\n{text}" if info.relative_iris else text
    try:
        result = store.query(query)
    except (SyntaxError, RuntimeError, ValueError, OSError) as error:
        return False, f"refused: {type(error).__name__}: {error}"
    if isinstance(result, ox.QueryTriples):
        data = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
        actual = harness.Results("graph", graph=Graph().parse(data=data, format="nt"))
    elif case.result_format_test:
        actual = harness.parse_csv_results(result.serialize(format=ox.QueryResultsFormat.CSV))
    else:
        actual = harness.parse_srj(result.serialize(format=ox.QueryResultsFormat.JSON))
    expected = harness.load_expected(case.result_path, case.result_iri, info.form)
    passed, _, kind, detail = harness.compare_results(expected, actual, info, case.lax, True)
    return passed, f"{kind}: {detail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--suite", type=Path, required=True, help="the w3c-sparql folder")
    parser.add_argument("--report", type=Path, required=True, help="a sparql_suite.py report")
    args = parser.parse_args(argv)
    harness = load_harness(args.suite)
    suite = harness.Suite(str(args.suite), harness.DEFAULT_BASE)
    suite.load(suite.default_roots())
    report = json.loads(args.report.read_text(encoding="utf-8"))
    failed = {row["id"] for row in report["tests"] if row["status"] == "failed"}
    ours, engine, cache = 0, 0, harness.FileCache()
    for case in (case for case in suite.tests if case.id in failed):
        passed, detail = plain_pyoxigraph(harness, case, cache)
        ours, engine = ours + passed, engine + (not passed)
        where = "OURS (passes in plain pyoxigraph)" if passed else "pyoxigraph too"
        print(f"{case.id}: {where}; {detail[:120]}")
    print(f"{len(failed)} failed: {engine} fail in plain pyoxigraph too, {ours} only here")
    return 0


if __name__ == "__main__":
    sys.exit(main())
