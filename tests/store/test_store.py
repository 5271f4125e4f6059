"""store/embedded.py: the embedded store answers SPARQL over the right dataset and starts warm."""

from __future__ import annotations

import gc
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Literal

from secgraph.build.pipeline import BuiltGraph, build
from secgraph.config import Settings
from secgraph.namespaces import GRAPH, ID, INFERRED_GRAPH, SG, sparql_prologue
from secgraph.sparql.text import has_dataset_clause
from secgraph.store.embedded import DEFAULT_GRAPH, OxigraphStore, marker_path
from secgraph.terms import quads_to_oxigraph


def _dataset(*, default: bool = True) -> Dataset:
    dataset = Dataset()
    dataset.graph(GRAPH.one).add((ID.a, SG.name, Literal("one")))
    dataset.graph(GRAPH.two).add((ID.a, SG.name, Literal("two")))
    if default:
        dataset.default_graph.add((ID.a, SG.name, Literal("default")))
    return dataset


NAMES = sparql_prologue() + "SELECT ?name WHERE { id:a sg:name ?name } ORDER BY ?name"


def _names(result: object) -> list[str]:
    assert isinstance(result, ox.QuerySolutions)
    return [row["name"].value for row in result]


def test_union_default_graph_queries_every_graph() -> None:
    store = OxigraphStore.from_dataset(_dataset(default=False), union_default_graph=True)
    assert _names(store.query(NAMES)) == ["one", "two"]


def test_union_default_graph_holds_a_triple_of_two_graphs_once() -> None:
    # SPARQL 1.1 Query §13.1: the default graph is an RDF merge, a set; a fact two sources
    # state is counted once.
    dataset = _dataset(default=False)
    dataset.graph(GRAPH.two).add((ID.a, SG.name, Literal("one")))
    store = OxigraphStore.from_dataset(dataset, union_default_graph=True)
    assert _names(store.query(NAMES)) == ["one", "two"]
    count = sparql_prologue() + "SELECT (COUNT(*) AS ?n) WHERE { id:a sg:name ?name }"
    result = store.query(count)
    assert isinstance(result, ox.QuerySolutions)
    assert [row["n"].value for row in result] == ["2"]
    dumped = store.dump(ox.RdfFormat.N_QUADS).decode()
    assert len(dumped.splitlines()) == 3  # the materialized default graph is not dumped


def test_union_default_graph_refuses_a_triple_of_the_default_graph() -> None:
    with pytest.raises(ValueError, match="default graph"):
        OxigraphStore.from_dataset(_dataset(), union_default_graph=True)


def test_union_default_graph_follows_replaced_quads(tmp_path: Path) -> None:
    store = OxigraphStore.from_dataset(
        _dataset(default=False), path=tmp_path / "store", union_default_graph=True
    )
    store.close()
    writer = OxigraphStore(None, path=tmp_path / "store", writable=True)
    one = ox.Quad(ox.NamedNode(str(ID.a)), ox.NamedNode(str(SG.name)), ox.Literal("one"))
    in_two = ox.Quad(one.subject, one.predicate, one.object, ox.NamedNode(str(GRAPH.two)))
    writer.replace_quads([], [in_two])
    in_one = ox.Quad(one.subject, one.predicate, one.object, ox.NamedNode(str(GRAPH.one)))
    writer.replace_quads([in_one], [])
    assert _names(writer.query(NAMES)) == ["one", "two"]  # still held by graph two
    writer.replace_quads([in_two], [])
    assert _names(writer.query(NAMES)) == ["two"]


def _default_graph(store: OxigraphStore) -> set[ox.Triple]:
    result = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QueryTriples)
    return set(result)


def test_union_default_graph_is_the_same_in_memory_and_on_disk(tmp_path: Path) -> None:
    # The two load paths materialize the union differently (INSERT in memory, bulk load on
    # disk): the same named graphs and the same default graph, each triple once.
    dataset = _dataset(default=False)
    dataset.graph(GRAPH.two).add((ID.a, SG.name, Literal("one")))
    dataset.graph(GRAPH.two).add((BNode(), SG.name, Literal("blank")))
    quads = list(quads_to_oxigraph(dataset.quads((None, None, None, None))))
    in_memory = OxigraphStore.from_quads(quads)
    on_disk = OxigraphStore.from_quads(quads, path=tmp_path / "store")
    assert set(on_disk.quads()) == set(in_memory.quads()) == set(quads)
    assert _default_graph(on_disk) == _default_graph(in_memory) == {q.triple for q in quads}
    assert len(_default_graph(on_disk)) == 3
    assert (
        on_disk.graph_sizes()
        == in_memory.graph_sizes()
        == {
            str(GRAPH.one): 1,
            str(GRAPH.two): 3,
        }
    )


@pytest.mark.parametrize("on_disk", [False, True], ids=["in memory", "on disk"])
def test_union_default_graph_refuses_a_triple_only_the_default_graph_holds(
    on_disk: bool, tmp_path: Path
) -> None:
    path = tmp_path / "store" if on_disk else None
    with pytest.raises(ValueError, match="default graph"):
        OxigraphStore.from_dataset(_dataset(), path=path, union_default_graph=True)


@pytest.mark.parametrize("on_disk", [False, True], ids=["in memory", "on disk"])
def test_union_default_graph_accepts_a_default_triple_a_named_graph_holds(
    on_disk: bool, tmp_path: Path
) -> None:
    # A store loaded from another materialized store: its default graph is a copy.
    dataset = _dataset(default=False)
    dataset.default_graph.add((ID.a, SG.name, Literal("one")))
    path = tmp_path / "store" if on_disk else None
    store = OxigraphStore.from_dataset(dataset, path=path, union_default_graph=True)
    assert _names(store.query(NAMES)) == ["one", "two"]
    assert len(store.dump(ox.RdfFormat.N_QUADS).decode().splitlines()) == 2


def test_graph_sizes_count_each_graph_and_the_stored_default_graph() -> None:
    # A graph named by a blank node (TriG allows it) is counted as itself, not as every graph.
    data = (
        f"<{GRAPH.one}> {{ <{ID.a}> <{SG.name}> 'a', 'b' . }}\n"
        f"_:g {{ <{ID.a}> <{SG.name}> 'c' . }}\n"
        f"<{ID.a}> <{SG.name}> 'd', 'e', 'f' .\n"
    )
    quads = list(ox.parse(data, format=ox.RdfFormat.TRIG))
    [blank] = {quad.graph_name for quad in quads if isinstance(quad.graph_name, ox.BlankNode)}
    store = OxigraphStore.from_quads(quads, union_default_graph=False)
    assert store.graph_sizes() == {DEFAULT_GRAPH: 3, str(GRAPH.one): 2, blank.value: 1}


def test_without_union_the_default_graph_is_the_files_own() -> None:
    store = OxigraphStore.from_dataset(_dataset(), union_default_graph=False)
    assert _names(store.query(NAMES)) == ["default"]


def test_from_clause_is_honoured_even_with_union_default_graph() -> None:
    store = OxigraphStore.from_dataset(_dataset(default=False), union_default_graph=True)
    query = NAMES.replace("WHERE", f"FROM <{GRAPH.two}> WHERE")
    assert _names(store.query(query)) == ["two"]


def test_protocol_graph_uris_override_from_clauses() -> None:
    # SPARQL 1.1 Protocol §2.1.4.
    store = OxigraphStore.from_dataset(_dataset(), union_default_graph=False)
    query = NAMES.replace("WHERE", f"FROM <{GRAPH.two}> WHERE")
    assert _names(store.query(query, default_graph_uris=[str(GRAPH.one)])) == ["one"]
    named = sparql_prologue() + "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    result = store.query(named, named_graph_uris=[str(GRAPH.two)])
    assert isinstance(result, ox.QuerySolutions)
    assert [row["g"].value for row in result] == [str(GRAPH.two)]


def test_invalid_graph_uri_raises_value_error() -> None:
    store = OxigraphStore.from_dataset(_dataset(), union_default_graph=False)
    with pytest.raises(ValueError, match="IRI"):
        store.query(NAMES, default_graph_uris=["not an iri"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * FROM <g> WHERE { ?s ?p ?o }", True),
        ("select * from named <g> where { ?s ?p ?o }", True),
        ("SELECT * WHERE { ?s ?p 'FROM' }", False),
        ('SELECT * WHERE { ?s ?p """a\nFROM b""" }', False),
        ("SELECT * WHERE { ?s <http://e.org/FROM> ?from }", False),
        ("SELECT * WHERE { ?s ex:from ?o } # FROM nowhere", False),
        ("SELECT ?from WHERE { ?s from:p ?from }", False),
    ],
)
def test_dataset_clause_detection(query: str, expected: bool) -> None:
    assert has_dataset_clause(query) is expected


def test_graph_sizes_and_named_graphs(built: BuiltGraph) -> None:
    sizes = built.store.graph_sizes()
    assert sizes == {
        str(GRAPH["dialogue-2008"]): 27,
        str(GRAPH.members): 3,
        str(GRAPH.ontology): 47,
        str(INFERRED_GRAPH): 15,
    }
    assert built.store.named_graphs() == sorted(sizes)
    store = OxigraphStore.from_dataset(_dataset(), union_default_graph=False)
    assert store.graph_sizes()[DEFAULT_GRAPH] == 1


def test_dump_of_a_graph_format_merges_graphs_and_can_exclude_one(built: BuiltGraph) -> None:
    everything = built.store.dump(ox.RdfFormat.N_TRIPLES)
    asserted = built.store.dump(ox.RdfFormat.N_TRIPLES, exclude_graphs=[str(INFERRED_GRAPH)])
    hasmember = f"<{ID.sica}> <{SG.hasMember}> <{ID.belize}> .".encode()
    assert hasmember in everything
    assert hasmember not in asserted
    assert len(everything.splitlines()) == 27 + 3 + 47 + 15


def test_dump_of_a_dataset_format_keeps_graph_names(built: BuiltGraph) -> None:
    quads = list(ox.parse(built.store.dump(ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS))
    graphs = {quad.graph_name.value for quad in quads if isinstance(quad.graph_name, ox.NamedNode)}
    assert graphs == set(built.store.named_graphs())
    turtle = built.store.dump(ox.RdfFormat.TRIG)
    assert b"@prefix sg: <" in turtle


def test_warm_start_reuses_on_disk_store(project: Path, tmp_path: Path) -> None:
    settings = Settings(root=project, store_path=tmp_path / "store")
    cold = build(settings)
    assert not cold.stats.warm_start
    assert marker_path(tmp_path / "store").read_text().splitlines()[0] == cold.store.version
    assert isinstance(cold.store, OxigraphStore)
    cold.store.close()

    warm = build(settings)
    assert warm.stats.warm_start
    assert "reason" not in warm.stats.timings  # parse, reason and validate were skipped
    assert warm.stats.graph_sizes == cold.stats.graph_sizes
    assert warm.store.version == cold.store.version
    assert isinstance(warm.store, OxigraphStore)
    warm.store.close()


def test_warm_start_rebuilds_when_a_source_file_changed(project: Path, tmp_path: Path) -> None:
    settings = Settings(root=project, store_path=tmp_path / "store")
    cold = build(settings)
    assert isinstance(cold.store, OxigraphStore)
    cold.store.close()
    del cold
    gc.collect()

    members = project / "data" / "members.ttl"
    members.write_text(
        members.read_text(encoding="utf-8").replace('"Honduras"@en', '"Republic of Honduras"@en'),
        encoding="utf-8",
    )
    rebuilt = build(settings)
    assert not rebuilt.stats.warm_start
    assert "reason" in rebuilt.stats.timings
    assert marker_path(tmp_path / "store").read_text().splitlines()[0] == rebuilt.store.version
    labels = rebuilt.store.query(
        sparql_prologue() + "SELECT ?l WHERE { id:honduras rdfs:label ?l }"
    )
    assert isinstance(labels, ox.QuerySolutions)
    assert [row["l"].value for row in labels] == ["Republic of Honduras"]


def test_reuse_refuses_a_store_built_from_other_sources(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = OxigraphStore.from_dataset(_dataset(default=False), path=path, version="one")
    store.close()
    assert OxigraphStore.reuse(path, version="two") is None
    reused = OxigraphStore.reuse(path, version="one")
    assert reused is not None
    assert _names(reused.query(NAMES)) == ["one", "two"]


def test_reopened_on_disk_store_is_read_only(tmp_path: Path) -> None:
    store = OxigraphStore.from_dataset(
        _dataset(default=False), path=tmp_path / "store", version="v"
    )
    store.before_fork()
    assert _names(store.query(NAMES)) == ["one", "two"]
    with pytest.raises(RuntimeError, match="read-write"):
        store._db().add(ox.Quad(ox.NamedNode(str(ID.b)), ox.NamedNode(str(SG.p)), ox.Literal("x")))


def test_rdflib_blank_nodes_stay_one_node_across_graphs() -> None:
    dataset = Dataset()
    partner = BNode()
    dataset.graph(GRAPH.one).add((ID.a, SG.involves, partner))
    dataset.graph(GRAPH.two).add((partner, SG.name, Literal("local partner")))
    store = OxigraphStore.from_dataset(dataset)
    query = sparql_prologue() + "SELECT ?n WHERE { id:a sg:involves/sg:name ?n }"
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    assert [row["n"].value for row in result] == ["local partner"]


def test_bindings_fix_variables_without_touching_the_query_text() -> None:
    store = OxigraphStore.from_quads(
        [
            ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("1")),
            ox.Quad(ox.NamedNode("http://e/b"), ox.NamedNode("http://e/p"), ox.Literal("2")),
        ],
        union_default_graph=False,
    )
    result = store.query(
        "SELECT ?s ?o WHERE { ?s <http://e/p> ?o }", bindings={"s": ox.NamedNode("http://e/b")}
    )
    assert isinstance(result, ox.QuerySolutions)
    assert [row["o"].value for row in result] == ["2"]
