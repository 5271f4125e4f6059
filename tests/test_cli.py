"""cli.py: commands print readable results and exit 0 / 1 / 2 / 64 as documented."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from secgraph.cli import EXIT_INVALID, EXIT_OK, EXIT_SOURCE, EXIT_USAGE, main
from secgraph.describe.jsonld import JsonLdWriter
from secgraph.namespaces import GRAPH, ID, INFERRED_GRAPH, sparql_prologue

ROOT = ["--root", str(Path(__file__).parent / "fixtures" / "project")]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_check_exit_codes(project: Path, add_file, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--root", str(project), "check")
    assert code == EXIT_OK
    assert "SHACL: conforms (0 result(s))" in out

    unsigned = add_file("data/unsigned.trig", "graph:unsigned { id:mou a sg:Agreement . }\n")
    code, _, err = run(capsys, "--root", str(project), "check")
    assert code == EXIT_INVALID
    assert "Violation  id:mou  sg:signedBy  An agreement is signed by at least one actor." in err
    unsigned.unlink()

    clash = add_file("data/clash.trig", "graph:clash { id:panama a sg:Country, sg:Agreement . }\n")
    code, _, err = run(capsys, "--quiet", "--root", str(project), "check")
    assert code == EXIT_INVALID
    assert err.startswith("inconsistent: 1 culprit(s)")
    assert str(ID.panama) in err
    clash.unlink()

    add_file("data/broken.ttl", "id:a sg:p .\n")
    code, _, err = run(capsys, "--quiet", "--root", str(project), "check")
    assert code == EXIT_SOURCE
    assert err.startswith("error: data/broken.ttl:")

    code, _, err = run(capsys, "--root", str(project), "check", "--no-such-flag")
    assert code == EXIT_USAGE
    assert "No such option" in err


def test_check_prints_counts_per_graph_and_class(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *ROOT, "check")
    assert code == EXIT_OK
    assert "graph:inferred       15" in out
    assert "sg:Country       4" in out
    assert "reflexive schema triple: 104" in out  # fast rules: no literal-subject noise
    assert "timings: find " in out


def test_bad_environment_value_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SECGRAPH_WORKERS", "many")
    code, _, err = run(capsys, *ROOT, "serve")
    assert code == EXIT_USAGE
    assert "SECGRAPH_WORKERS" in err


def test_help_documents_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == EXIT_OK
    assert "Exit codes: 0 success; 1 SHACL violations or OWL inconsistency;" in " ".join(
        out.split()
    )
    code, out, _ = run(capsys, "serve", "--help")
    words = " ".join(out.split())
    assert "[env: SECGRAPH_PORT]" in words
    assert "64 usage error" in words


def test_query_prints_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    query = sparql_prologue() + "SELECT ?m WHERE { id:sica sg:hasMember ?m } ORDER BY ?m"
    code, out, _ = run(capsys, *ROOT, "query", query)
    assert code == EXIT_OK
    assert out.splitlines() == ["m", "id:belize", "id:guatemala", "id:honduras"]


def test_query_reads_a_file_and_prints_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "members.rq"
    path.write_text(sparql_prologue() + "SELECT ?m { id:sica sg:hasMember ?m } ORDER BY ?m")
    code, out, _ = run(capsys, *ROOT, "query", str(path), "--format", "csv")
    assert code == EXIT_OK
    rows = list(csv.reader(io.StringIO(out)))
    assert rows == [["m"], [str(ID.belize)], [str(ID.guatemala)], [str(ID.honduras)]]


def test_long_one_line_query_is_not_taken_for_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    query = "ASK { ?s ?p ?o " + "FILTER(true) " * 40 + "}"
    code, out, _ = run(capsys, *ROOT, "query", query)
    assert (code, out) == (EXIT_OK, "true\n")


def test_query_json_ask(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *ROOT, "query", "ASK { ?s ?p ?o }", "--format", "json")
    assert (code, json.loads(out)) == (EXIT_OK, {"head": {}, "boolean": True})


def test_malformed_query_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--quiet", *ROOT, "query", "SELECT * WHERE {")
    assert code == EXIT_SOURCE
    assert err.startswith("query syntax error: error at 1:")


def test_export_asserted_only_leaves_out_inferences(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *ROOT, "export", "--format", "nquads", "--asserted-only")
    assert code == EXIT_OK
    graphs = {q.graph_name.value for q in ox.parse(out.encode(), ox.RdfFormat.N_QUADS)}
    assert str(INFERRED_GRAPH) not in graphs
    assert str(GRAPH.members) in graphs


def test_export_json_ld_is_compacted_and_keeps_every_statement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "graph.jsonld"
    code, _, _ = run(capsys, *ROOT, "export", "--format", "jsonld", "--out", str(out))
    assert code == EXIT_OK
    writer = JsonLdWriter.for_ontology(Path(ROOT[1]) / "ontology")
    assert json.loads(out.read_text(encoding="utf-8"))["@context"] == writer.context["@context"]
    _, nquads, _ = run(capsys, *ROOT, "export", "--format", "nquads")
    from_jsonld = writer.to_quads(out.read_bytes())
    expected = list(ox.parse(nquads.encode(), ox.RdfFormat.N_QUADS))
    # Same statements in the same graphs (blank nodes aside: test_jsonld checks isomorphism).
    assert len(from_jsonld) == len(expected)
    assert {q for q in from_jsonld if not _has_blank(q)} == {
        q for q in expected if not _has_blank(q)
    }


def _has_blank(quad: ox.Quad) -> bool:
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)


def test_build_writes_the_materialized_dataset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "graph.trig"
    code, _, err = run(capsys, *ROOT, "build", "--out", str(out))
    assert code == EXIT_OK
    assert "(trig)" in err
    quads = list(ox.parse(path=str(out)))
    inferred = [q for q in quads if q.graph_name == ox.NamedNode(str(INFERRED_GRAPH))]
    assert len(inferred) == 15


def test_settings_prints_the_markdown_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "settings")
    assert code == EXIT_OK
    assert "| `--store-path` | `SECGRAPH_STORE_PATH` | unset |" in out


def test_quiet_prints_nothing_on_stderr_on_success(
    settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "graph.trig"
    root = str(settings.root)
    code, stdout, stderr = run(capsys, "--root", root, "--quiet", "build", "--out", str(out))
    assert code == EXIT_OK
    assert stderr == ""
    assert out.stat().st_size > 0
    code, stdout, stderr = run(capsys, "--root", root, "-q", "check")
    assert (code, stderr) == (EXIT_OK, "")
    assert "graph:dialogue-2008" in stdout  # the check's own report still goes to stdout


def test_build_prints_step_timings_on_stderr_only(
    settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code, stdout, stderr = run(capsys, "--root", str(settings.root), "check")
    assert code == EXIT_OK
    timed = [line.split() for line in stderr.splitlines() if line.rstrip().endswith(" s")]
    steps = [fields[0] for fields in timed]
    assert steps == ["find", "load", "reason", "validate", "store", "check"]
    assert all(float(fields[-2]) >= 0 for fields in timed)
    assert not any(line.rstrip().endswith(" s") for line in stdout.splitlines())
