"""build/load.py: sources become graphs as written; every error names file, line and column."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal
from rdflib.namespace import RDF, RDFS, XSD

from secgraph.build.load import SourceError, find_sources, fingerprint, load_sources, read_rdf_file
from secgraph.config import Settings
from secgraph.namespaces import GRAPH, ID, ONTOLOGY_GRAPH, SG


def test_each_trig_graph_keeps_its_name_and_turtle_files_get_their_stem(settings: Settings) -> None:
    loaded = load_sources(settings)
    names = {str(graph.identifier) for graph in loaded.dataset.graphs() if len(graph)}
    assert names == {str(ONTOLOGY_GRAPH), str(GRAPH["dialogue-2008"]), str(GRAPH["members"])}
    dialogue = loaded.dataset.graph(GRAPH["dialogue-2008"])
    assert (ID.guatemala, SG.memberOf, ID.sica) in dialogue
    assert (ID.honduras, SG.memberOf, ID.sica) in loaded.dataset.graph(GRAPH["members"])
    assert (SG.memberOf, RDF.type, RDF.Property) not in loaded.dataset.graph(ONTOLOGY_GRAPH)
    assert (SG.memberOf, RDFS.label, Literal("member of", lang="en")) in loaded.dataset.graph(
        ONTOLOGY_GRAPH
    )


def test_shapes_are_loaded_apart_from_the_data(settings: Settings) -> None:
    loaded = load_sources(settings)
    assert (SG.AgreementShape, RDF.type, None) in loaded.shapes
    assert not any(loaded.dataset.quads((SG.AgreementShape, None, None, None)))


def test_turtle_syntax_error_names_file_line_and_column(project: Path, add_file) -> None:
    add_file(
        "data/broken.ttl",
        '<https://example.org/a> <https://example.org/p> "x" .\n'
        "<https://example.org/b> <https://example.org/p> <https://example.org/c>\n"
        '<https://example.org/d> <https://example.org/p> "y" .\n',
        prefixes=False,
    )
    with pytest.raises(SourceError) as caught:
        load_sources(Settings(root=project))
    error = caught.value
    assert (error.path, error.line, error.column) == ("data/broken.ttl", 3, 1)
    assert str(error) == "data/broken.ttl:3:1: A dot is expected at the end of statements"


def test_syntax_error_in_ontology_names_the_ontology_file(project: Path, add_file) -> None:
    add_file("ontology/extra.ttl", "sg:Thing a owl:Class ;\n    rdfs:label 'unterminated .\n")
    with pytest.raises(SourceError, match=r"^ontology/extra\.ttl:\d+:\d+: "):
        load_sources(Settings(root=project))


def test_default_graph_triple_in_data_trig_is_an_error_naming_the_file(
    project: Path, add_file
) -> None:
    add_file("data/stray.trig", "id:panama a sg:Country .\n")
    with pytest.raises(SourceError) as caught:
        load_sources(Settings(root=project))
    assert caught.value.path == "data/stray.trig"
    assert "outside a named graph" in str(caught.value)
    assert str(ID.panama) in str(caught.value)


def test_data_may_not_write_into_the_inferred_graph(project: Path, add_file) -> None:
    add_file("data/sneaky.trig", "graph:inferred { id:panama a sg:Country . }\n")
    with pytest.raises(SourceError, match="reserved"):
        load_sources(Settings(root=project))


def test_missing_ontology_directory_names_the_path_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as raised:
        find_sources(Settings(root=tmp_path))
    message = str(raised.value)
    assert message.startswith("ontology: no such directory: ")
    assert str(tmp_path.resolve() / "ontology") in message
    assert "--root" in message
    assert "SECGRAPH_ROOT" in message


def test_literals_keep_lexical_form_datatype_and_language(project: Path, add_file) -> None:
    add_file(
        "data/literals.trig",
        'graph:literals { id:x rdfs:label "Guatemala"@es-GT ; sg:count "01"^^xsd:integer ;'
        ' sg:amount "361.0"^^xsd:decimal ; sg:note "plain" . }\n',
    )
    graph = load_sources(Settings(root=project)).dataset.graph(GRAPH["literals"])
    count = graph.value(ID.x, SG["count"])
    assert (str(count), count.datatype) == ("01", XSD.integer)
    amount = graph.value(ID.x, SG.amount)
    assert (str(amount), amount.datatype) == ("361.0", XSD.decimal)
    label = graph.value(ID.x, RDFS.label)
    assert (str(label), label.language) == ("Guatemala", "es-gt")  # BCP 47 tags compare lowercased
    assert graph.value(ID.x, SG.note) == Literal("plain")  # xsd:string is a simple literal


def test_blank_node_labels_are_scoped_per_file(project: Path, add_file) -> None:
    add_file("data/one.trig", "graph:one { id:a sg:involves _:partner . }\n")
    add_file("data/two.trig", "graph:two { id:b sg:involves _:partner . }\n")
    dataset = load_sources(Settings(root=project)).dataset
    first = dataset.graph(GRAPH["one"]).value(ID.a, SG.involves)
    second = dataset.graph(GRAPH["two"]).value(ID.b, SG.involves)
    assert isinstance(first, BNode)
    assert isinstance(second, BNode)
    assert first != second


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("data.nq", '<https://e.org/s> <https://e.org/p> "o" <https://e.org/g> .\n'),
        ("data.trig", '<https://e.org/g> { <https://e.org/s> <https://e.org/p> "o" . }\n'),
    ],
)
def test_read_rdf_file_keeps_named_graphs(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    quads = read_rdf_file(path)
    assert [
        (q.subject.value, q.predicate.value, q.object.value, q.graph_name.value) for q in quads
    ] == [("https://e.org/s", "https://e.org/p", "o", "https://e.org/g")]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("data.nt", '<https://e.org/s> <https://e.org/p> "o" .\n'),
        ("data.ttl", '<https://e.org/s> <https://e.org/p> "o" .\n'),
        (
            "data.rdf",
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:e="https://e.org/"><rdf:Description rdf:about="https://e.org/s">'
            "<e:p>o</e:p></rdf:Description></rdf:RDF>\n",
        ),
    ],
)
def test_read_rdf_file_puts_triples_of_graph_formats_in_the_default_graph(
    tmp_path: Path, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    quads = read_rdf_file(path)
    assert [(q.subject.value, q.predicate.value, q.object.value) for q in quads] == [
        ("https://e.org/s", "https://e.org/p", "o")
    ]
    assert all(q.graph_name == ox.DefaultGraph() for q in quads)


def test_unknown_extension_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "data.xyz"
    path.write_text("", encoding="utf-8")
    with pytest.raises(SourceError, match="unknown RDF file extension"):
        read_rdf_file(path)


def test_fingerprint_changes_with_any_source_byte(project: Path, settings: Settings) -> None:
    files = find_sources(Settings(root=project))
    before = fingerprint(files, salt="v1")
    assert before == fingerprint(find_sources(settings), salt="v1")
    assert before != fingerprint(files, salt="v2")
    members = project / "data" / "members.ttl"
    members.write_text(members.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert before != fingerprint(find_sources(Settings(root=project)), salt="v1")
