"""bench/endpoint.py: answers are compared whole, so a peer answering other rows is caught."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox

BENCH = Path(__file__).parents[1] / "bench" / "endpoint.py"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("endpoint_bench", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _results(*rows: dict[str, dict[str, str]]) -> bytes:
    return json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": list(rows)}}).encode()


def test_same_rows_in_another_order_with_other_blank_node_labels_are_the_same_answer() -> None:
    answer_of = _bench().answer_of
    first = _results(
        {"x": {"type": "bnode", "value": "b0"}},
        {"x": {"type": "literal", "value": "a", "datatype": XSD + "string"}},
    )
    second = _results(
        {"x": {"type": "literal", "value": "a"}}, {"x": {"type": "bnode", "value": "z"}}
    )
    assert answer_of(200, first) == answer_of(200, second)


def test_a_missing_or_repeated_row_is_another_answer() -> None:
    answer_of = _bench().answer_of
    row = {"x": {"type": "uri", "value": "https://example.org/a"}}
    other = {"x": {"type": "uri", "value": "https://example.org/b"}}
    assert answer_of(200, _results(row, other)) != answer_of(200, _results(row))
    assert answer_of(200, _results(row, row)) != answer_of(200, _results(row))
    assert answer_of(200, _results(row)) != answer_of(404, _results(row))


def test_union_default_graph_holds_each_triple_of_the_named_graphs_once(tmp_path: Path) -> None:
    bench = _bench()
    s, p, o = (ox.NamedNode(f"https://example.org/{name}") for name in "spo")
    graphs = [ox.NamedNode("https://example.org/g1"), ox.NamedNode("https://example.org/g2")]
    dataset = tmp_path / "in.nq"
    ox.serialize(
        [ox.Quad(s, p, o, graph) for graph in graphs],
        output=str(dataset),
        format=ox.RdfFormat.N_QUADS,
    )
    bench.with_union_default_graph(dataset, tmp_path / "out.nq")
    quads = list(ox.parse(path=str(tmp_path / "out.nq"), format=ox.RdfFormat.N_QUADS))
    assert sorted(map(str, quads)) == sorted(
        map(str, [ox.Quad(s, p, o), *(ox.Quad(s, p, o, graph) for graph in graphs)])
    )
