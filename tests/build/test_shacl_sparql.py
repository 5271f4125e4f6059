"""build/shacl_sparql.py through validate_store: the compiled shapes report exactly what pySHACL
reports.

Every test compares whole reports (conforms and the sorted tuple of results) from validate_graph
(pySHACL, the reference) and validate_store (the SPARQL compilation) on the same triples.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, SKOS, XSD

from paths import REPOSITORY
from secgraph.build.load import LoadedSources, load_sources
from secgraph.build.ontology_closure import closure_key, ontology_closure
from secgraph.build.reason import reason
from secgraph.build.shacl_sparql import UnsupportedShapeError, compile_shapes
from secgraph.build.validate import ValidationReport, validate_graph, validate_store
from secgraph.config import Settings
from secgraph.namespaces import ID, INFERRED_GRAPH, ONTOLOGY_GRAPH, SG
from secgraph.terms import to_oxigraph

ROOT = REPOSITORY
EXAMPLES = ROOT / "tests" / "data"


def _union(settings: Settings) -> tuple[Graph, Graph]:
    """(asserted and inferred triples, shapes) as the pipeline validates them: load, reason."""
    loaded: LoadedSources = load_sources(settings)
    closure = ontology_closure(
        loaded.dataset.graph(ONTOLOGY_GRAPH), settings.cache_dir, closure_key(loaded.files.ontology)
    )
    inference = reason(loaded.dataset, reasoner="fast", ontology_closure=closure)
    union = Graph()
    for subject, predicate, obj, _ in loaded.dataset.quads((None, None, None, None)):
        union.add((subject, predicate, obj))
    union += inference.graph
    return union, loaded.shapes


def _store(graph: Graph) -> ox.Store:
    """The triples in a store's default graph; blank nodes keep their rdflib identifiers."""

    def term(node: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(node, BNode):
            return ox.BlankNode(str(node))
        return to_oxigraph(node, {})  # type: ignore[arg-type]

    store = ox.Store()
    store.bulk_extend(ox.Quad(term(s), term(p), term(o), ox.DefaultGraph()) for s, p, o in graph)
    return store


def _both(graph: Graph, shapes: Graph) -> tuple[ValidationReport, ValidationReport]:
    reference = validate_graph(graph, shapes)
    compiled = validate_store(_store(graph), shapes, originals=graph)
    return reference, compiled


def _assert_same(reference: ValidationReport, compiled: ValidationReport) -> None:
    assert compiled.validator == "sparql"
    assert reference.validator == "pyshacl"
    assert (compiled.conforms, compiled.results) == (reference.conforms, reference.results)


@pytest.fixture(scope="module")
def shipped() -> tuple[Graph, Graph]:
    return _union(Settings(root=ROOT))


def test_shipped_shapes_compile_without_fallback(shipped: tuple[Graph, Graph]) -> None:
    _, shapes = shipped
    assert compile_shapes(shapes).queries


def test_shipped_graph_report_equals_pyshacl(shipped: tuple[Graph, Graph]) -> None:
    _assert_same(*_both(*shipped))


def test_named_graphs_validated_as_their_union_give_pyshacl_report() -> None:
    # The pipeline's layout: each source in its named graph, the inferred triples in another; a
    # triple asserted in several graphs is one triple of the union.
    settings = Settings(root=ROOT)
    loaded = load_sources(settings)
    closure = ontology_closure(
        loaded.dataset.graph(ONTOLOGY_GRAPH), settings.cache_dir, closure_key(loaded.files.ontology)
    )
    inference = reason(loaded.dataset, reasoner="fast", ontology_closure=closure)
    quads = [(s, p, o, g) for s, p, o, g in loaded.dataset.quads((None, None, None, None))]
    quads += [(s, p, o, INFERRED_GRAPH) for s, p, o in inference.graph]
    for graph in (ID["graph-a"], ID["graph-b"]):  # one defect asserted twice is reported once
        quads.append((ID["goal-x"], RDF.type, SG.Goal, graph))
        quads.append((ID["goal-x"], SG.goalNumber, Literal("16.0", datatype=XSD.decimal), graph))
    union = Graph()
    for s, p, o, _ in quads:
        union.add((s, p, o))

    def term(node: object) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(node, BNode):
            return ox.BlankNode(str(node))
        return to_oxigraph(node, {})  # type: ignore[arg-type]

    store = ox.Store()
    store.bulk_extend(
        ox.Quad(term(s), term(p), term(o), ox.NamedNode(str(g))) for s, p, o, g in quads
    )
    assert len(store) > len(union)  # some triples are in several graphs
    shapes = loaded.shapes
    reference = validate_graph(union, shapes)
    assert reference.results
    compiled = validate_store(store, shapes, originals=union, union=True)
    _assert_same(reference, compiled)
    fallback = validate_store(store, _closed_shapes(), union=True)
    assert fallback.validator == "pyshacl"
    assert fallback.results == validate_graph(union, _closed_shapes()).results


def test_generated_data_report_equals_pyshacl(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "generate.py"),
            "--scale",
            "1",
            "--seed",
            "1",
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    graph, shapes = _union(Settings(root=ROOT, data_dir=out))
    assert len(graph) > 5000
    _assert_same(*_both(graph, shapes))


@pytest.fixture(scope="module")
def ontology_and_shapes() -> tuple[Graph, Graph]:
    loaded = load_sources(Settings(root=ROOT))
    ontology = Graph()
    for triple in loaded.dataset.graph(ONTOLOGY_GRAPH):
        ontology.add(triple)
    return ontology, loaded.shapes


@pytest.mark.parametrize(
    "example",
    sorted((EXAMPLES / "invalid").glob("*.ttl")) + sorted((EXAMPLES / "valid").glob("*.ttl")),
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
def test_example_report_equals_pyshacl(
    example: Path, ontology_and_shapes: tuple[Graph, Graph]
) -> None:
    ontology, shapes = ontology_and_shapes
    graph = Graph()
    graph += ontology  # the classes' rdfs:subClassOf, for sh:targetClass and sh:class
    graph.parse(example, format="turtle")
    reference, compiled = _both(graph, shapes)
    if example.parent.name == "invalid":
        assert reference.results, f"pySHACL reports nothing for {example.name}"
    _assert_same(reference, compiled)


# --------------------------------------------------------------------------------------------------
# Mutations of the shipped graph: each breaks one constraint component the shapes use. They touch
# different nodes, so all of them go into one graph validated once by each validator.
# --------------------------------------------------------------------------------------------------

Mutation = Callable[[Graph], tuple[URIRef | BNode, URIRef]]
"""Changes the graph; returns (the focus node it breaks, the constraint component expected)."""


def _instances(graph: Graph, cls: URIRef) -> list[URIRef | BNode]:
    return sorted(
        {s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef | BNode)}, key=str
    )


def _pick(
    graph: Graph, cls: URIRef, taken: set[object], *, having: URIRef | None = None
) -> URIRef | BNode:
    for node in _instances(graph, cls):
        if node in taken or (having is not None and (node, having, None) not in graph):
            continue
        taken.add(node)
        return node
    raise LookupError(f"no free {cls}")


def _mutations() -> dict[str, Callable[[Graph, set[object]], tuple[URIRef | BNode, URIRef]]]:
    def drop_label(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.Actor, taken, having=RDFS.label)
        g.remove((node, RDFS.label, None))
        return node, SH.QualifiedMinCountConstraintComponent

    def second_english_label(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.Actor, taken, having=RDFS.label)
        g.add((node, RDFS.label, Literal("Another name", lang="en")))
        return node, SH.QualifiedMaxCountConstraintComponent

    def two_spanish_labels(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.Place, taken, having=RDFS.label)
        g.add((node, RDFS.label, Literal("Uno", lang="es")))
        g.add((node, RDFS.label, Literal("Dos", lang="ES")))
        return node, SH.UniqueLangConstraintComponent

    def untagged_label(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.Place, taken, having=RDFS.label)
        g.add((node, SKOS.altLabel, Literal("plain")))
        return node, SH.DatatypeConstraintComponent

    def fact_without_citation(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.Fact, taken, having=PROV.qualifiedDerivation)
        g.remove((node, PROV.qualifiedDerivation, None))
        return node, SH.MinCountConstraintComponent

    def citation_of_a_non_document(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, PROV.Derivation, taken, having=PROV.entity)
        g.set((node, PROV.entity, ID["not-a-document"]))
        return node, SH.ClassConstraintComponent

    def blank_quote(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, PROV.Derivation, taken, having=SG.quote)
        g.set((node, SG.quote, Literal("   ")))
        return node, SH.PatternConstraintComponent

    def long_quote(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, PROV.Derivation, taken, having=SG.quote)
        g.set((node, SG.quote, Literal("word " * 121)))
        return node, SH.MaxLengthConstraintComponent

    def second_title(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.SourceDocument, taken, having=DCTERMS.title)
        g.add((node, DCTERMS.title, Literal("A second title", lang="en")))
        return node, SH.MaxCountConstraintComponent

    def bad_hash(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.SourceDocument, taken, having=SG.sha256)
        g.set((node, SG.sha256, Literal("ABC")))
        return node, SH.PatternConstraintComponent

    def graph_name_as_text(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.SourceDocument, taken, having=SG.describedIn)
        g.set((node, SG.describedIn, Literal("graph")))
        return node, SH.NodeKindConstraintComponent

    def issued_as_text(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.SourceDocument, taken)
        g.set((node, DCTERMS.issued, Literal("2020-02-30", datatype=XSD.date)))
        return node, SH.DatatypeConstraintComponent

    def country_in_a_city(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.Country, taken)
        g.add((node, SG.locatedIn, ID["not-a-region"]))
        return node, SH.ClassConstraintComponent

    def place_within_itself(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.Place, taken)
        g.add((node, SG.locatedIn, node))
        return node, SH.SPARQLConstraintComponent

    def event_without_date(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.Event, taken, having=SG.startDate)
        for predicate in (SG.startDate, SG.timeDescription, SG.plannedBefore, SG.endDate):
            g.remove((node, predicate, None))
        return node, SH.OrConstraintComponent

    def event_ends_before_it_starts(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.Event, taken, having=SG.startDate)
        g.set((node, SG.startDate, Literal("2020-05-01", datatype=XSD.date)))
        g.set((node, SG.endDate, Literal("2020-04-01", datatype=XSD.date)))
        return node, SH.LessThanOrEqualsConstraintComponent

    def start_date_as_text(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.Event, taken, having=SG.startDate)
        g.remove((node, SG.endDate, None))
        g.set((node, SG.startDate, Literal("May 2020")))
        return node, SH.OrConstraintComponent

    def session_number_zero(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.DialogueSession, taken)
        g.set((node, SG.sessionNumber, Literal("0", datatype=XSD.integer)))
        return node, SH.MinInclusiveConstraintComponent

    def goal_in_another_scheme(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.Goal, taken, having=SKOS.inScheme)
        g.remove((node, SKOS.inScheme, None))
        return node, SH.HasValueConstraintComponent

    def goal_number_as_decimal(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.Goal, taken)
        g.set((node, SG.goalNumber, Literal("16.0", datatype=XSD.decimal)))
        return node, SH.DatatypeConstraintComponent

    def negative_amount(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.Funding, taken, having=SG.amount)
        g.set((node, SG.amount, Literal("-5.50", datatype=XSD.decimal)))
        return node, SH.MinExclusiveConstraintComponent

    def lowercase_currency(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.Funding, taken, having=SG.currency)
        g.set((node, SG.currency, Literal("usd")))
        return node, SH.PatternConstraintComponent

    def funding_without_period(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.Funding, taken, having=SG.amount)
        for predicate in (SG.fiscalPeriod, SG.periodStart, SG.timeDescription):
            g.remove((node, predicate, None))
        return node, SH.OrConstraintComponent

    def fiscal_period_both_ways(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.FiscalPeriod, taken, having=SG.fiscalYearNumber)
        g.add((node, SG.firstFiscalYear, ID["fy-2017"]))
        g.add((node, SG.lastFiscalYear, ID["fy-2018"]))
        return node, SH.XoneConstraintComponent

    def fiscal_year_number_as_integer(
        g: Graph, taken: set[object]
    ) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.FiscalPeriod, taken, having=SG.fiscalYearNumber)
        g.set((node, SG.fiscalYearNumber, Literal("02017", datatype=XSD.integer)))
        return node, SH.DatatypeConstraintComponent

    def negative_count(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = sorted(g.subjects(SG.unit, SG.Count), key=str)[0]
        taken.add(node)
        g.set((node, SG.value, Literal("-3.0", datatype=XSD.decimal)))
        return node, SH.MinInclusiveConstraintComponent  # sgsh:CountShape's SPARQL target

    def link_about_another_property(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.LinkConfirmation, taken, having=RDF.predicate)
        g.set((node, RDF.predicate, SKOS.related))
        return node, SH.InConstraintComponent

    def link_comment_in_spanish(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.LinkConfirmation, taken, having=RDFS.comment)
        g.set((node, RDFS.comment, Literal("Confirmado", lang="es")))
        return node, SH.LanguageInConstraintComponent

    def link_to_a_missing_statement(g: Graph, taken: set[object]) -> tuple[URIRef | BNode, URIRef]:
        node = _pick(g, SG.LinkConfirmation, taken, having=RDF.object)
        g.set((node, RDF.object, Literal("never asserted")))
        return node, SH.SPARQLConstraintComponent

    def memorandum_with_one_signatory(
        g: Graph, taken: set[object]
    ) -> tuple[URIRef | BNode, URIRef]:
        node = ID["mou-one-signatory"]
        taken.add(node)
        g.add((node, RDF.type, SG.MemorandumOfUnderstanding))
        g.add((node, SG.signatory, ID["not-an-actor"]))
        return node, SH.MinCountConstraintComponent

    return {
        name: function
        for name, function in sorted(locals().items())
        if callable(function) and not name.startswith("_")
    }


MUTATIONS = _mutations()


@pytest.fixture(scope="module")
def mutated(
    shipped: tuple[Graph, Graph],
) -> tuple[dict[str, tuple[URIRef | BNode, URIRef]], ValidationReport, ValidationReport]:
    graph, shapes = shipped
    copy = Graph()
    copy += graph
    taken: set[object] = set()
    expected = {name: mutate(copy, taken) for name, mutate in MUTATIONS.items()}
    reference, compiled = _both(copy, shapes)
    return expected, reference, compiled


def test_mutated_graph_report_equals_pyshacl(
    mutated: tuple[dict[str, tuple[URIRef | BNode, URIRef]], ValidationReport, ValidationReport],
) -> None:
    _, reference, compiled = mutated
    assert not reference.conforms
    _assert_same(reference, compiled)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutation_is_reported_alike_by_both(
    name: str,
    mutated: tuple[dict[str, tuple[URIRef | BNode, URIRef]], ValidationReport, ValidationReport],
) -> None:
    expected, reference, compiled = mutated
    focus, component = expected[name]
    focus_text = f"_:{focus}" if isinstance(focus, BNode) else str(focus)

    def about(report: ValidationReport) -> list[tuple[str, ...]]:
        return sorted(tuple(vars(v).values()) for v in report.results if v.focus_node == focus_text)

    assert str(component) in {c for *_, c, _ in about(reference)}, f"pySHACL does not report {name}"
    assert about(compiled) == about(reference)


def test_every_component_the_shapes_use_is_broken_by_a_mutation(
    shipped: tuple[Graph, Graph],
    mutated: tuple[dict[str, tuple[URIRef | BNode, URIRef]], ValidationReport, ValidationReport],
) -> None:
    _, shapes = shipped
    used = {str(query.component) for query in compile_shapes(shapes).queries}
    used.add(str(SH.QualifiedMaxCountConstraintComponent))  # one query answers min and max
    broken = {str(component) for _, component in mutated[0].values()}
    assert used - broken == set()


def test_values_settled_by_rdflib_semantics_are_reported_as_pyshacl_does() -> None:
    # Ill-typed dates, comparisons across datatypes, strings against numbers, qualified counts of
    # values only rdflib can judge: the rows SPARQL cannot decide exactly.
    ex = "https://example.org/shapes#"
    shapes = Graph()
    shapes.parse(
        data=f"""
        @prefix sh: <{SH}> .
        @prefix xsd: <{XSD}> .
        @prefix ex: <{ex}> .
        ex:ThingShape a sh:NodeShape ;
            sh:targetSubjectsOf ex:when ;
            sh:property [ sh:path ex:when ;
                sh:qualifiedValueShape [ sh:datatype xsd:date ] ;
                sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 1 ;
                sh:message "one valid date" ] ,
              [ sh:path ex:when ;
                sh:or ( [ sh:datatype xsd:date ] [ sh:datatype xsd:gYear ] ) ;
                sh:message "a date or a year" ] ,
              [ sh:path ex:size ; sh:minInclusive 1 ; sh:maxExclusive 10.5 ;
                sh:message "a size from 1 to 10.5" ] ,
              [ sh:path ex:when ; sh:lessThan ex:until ; sh:message "before its end" ] ,
              [ sh:path ex:name ; sh:minLength 2 ; sh:maxLength 5 ; sh:pattern "^[a-z]" ;
                sh:flags "i" ; sh:message "a short name" ] .
        """,
        format="turtle",
    )
    ns = "https://example.org/data#"
    data = Graph()
    data.parse(
        data=f"""
        @prefix xsd: <{XSD}> .
        @prefix ex: <{ex}> .
        <{ns}a> ex:when "2020-02-30"^^xsd:date , "2020"^^xsd:gYear ;
            ex:until "2019-01-01"^^xsd:date ;
            ex:size "0.50"^^xsd:decimal , "big" , "7"^^xsd:integer ;
            ex:name "Ana" , "9lives" , "x" .
        <{ns}b> ex:when "2020-01-01"^^xsd:date , "2021-01-01"^^xsd:date , "May" ;
            ex:until "2020-06-01"^^xsd:date ; ex:size "10.50"^^xsd:decimal , "1e0"^^xsd:double .
        <{ns}c> ex:when "2020-01-01"^^xsd:date ; ex:size "abc"^^xsd:integer ; ex:name "ABCDEF" .
        """,
        format="turtle",
    )
    reference, compiled = _both(data, shapes)
    assert len(reference.results) > 10
    _assert_same(reference, compiled)


# --------------------------------------------------------------------------------------------------
# Fallback to pySHACL
# --------------------------------------------------------------------------------------------------


def _closed_shapes() -> Graph:
    shapes = Graph()
    shape = URIRef("https://example.org/shapes#ClosedAgreement")
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetClass, SG.Agreement))
    shapes.add((shape, SH.closed, Literal(True)))
    shapes.add((shape, SH.ignoredProperties, RDF.nil))
    return shapes


def test_unsupported_feature_is_refused_by_the_compiler() -> None:
    with pytest.raises(UnsupportedShapeError):
        compile_shapes(_closed_shapes())


def test_unsupported_feature_falls_back_to_pyshacl_with_its_answer() -> None:
    data = Graph()
    data.add((ID.x, RDF.type, SG.Agreement))
    data.add((ID.x, SG.date, Literal("2020-01-01", datatype=XSD.date)))
    shapes = _closed_shapes()
    reference = validate_graph(data, shapes)
    assert not reference.conforms
    assert reference.results
    report = validate_store(_store(data), shapes)
    assert report.validator == "pyshacl"
    assert (report.conforms, report.results) == (reference.conforms, reference.results)


def test_declared_constraint_component_falls_back_to_pyshacl_with_its_answer() -> None:
    ex = "https://example.org/shapes#"
    shapes = Graph()
    shapes.parse(
        data=f"""
        @prefix sh: <{SH}> .
        @prefix ex: <{ex}> .
        ex:NoSelfLink a sh:ConstraintComponent ;
            sh:parameter [ sh:path ex:noSelfLink ] ;
            sh:validator [ a sh:SPARQLAskValidator ;
                sh:message "{{$this}} links to itself along {{$PATH}}" ;
                sh:ask "ASK {{ FILTER NOT EXISTS {{ $this $PATH $this }} }}" ] .
        ex:AgreementShape a sh:NodeShape ;
            sh:targetClass <{SG.Agreement}> ;
            sh:property [ sh:path <{SG.signatory}> ; ex:noSelfLink true ] .
        """,
        format="turtle",
    )
    data = Graph()
    data.add((ID.x, RDF.type, SG.Agreement))
    data.add((ID.x, SG.signatory, ID.x))
    reference = validate_graph(data, shapes)
    assert reference.results
    report = validate_store(_store(data), shapes)
    assert report.validator == "pyshacl"
    assert (report.conforms, report.results) == (reference.conforms, reference.results)


def test_shape_without_message_falls_back_to_pyshacl_with_its_generic_message() -> None:
    shapes = Graph()
    shape = URIRef("https://example.org/shapes#AgreementsAreProgramsToo")
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetClass, SG.Agreement))
    shapes.add((shape, SH.severity, SH.Warning))
    shapes.add((shape, SH["class"], SG.Program))
    data = Graph()
    data.add((ID.x, RDF.type, SG.Agreement))
    report = validate_store(_store(data), shapes, allow_warnings=False)
    reference = validate_graph(data, shapes, allow_warnings=False)
    assert report.validator == "pyshacl"
    assert (report.conforms, report.results) == (reference.conforms, reference.results)


def test_warnings_do_not_fail_the_compiled_report_unless_asked() -> None:
    shapes = Graph()
    shape = URIRef("https://example.org/shapes#DateWarning")
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetClass, SG.Agreement))
    shapes.add((shape, SH.severity, SH.Warning))
    shapes.add((shape, SH["class"], SG.Program))
    shapes.add((shape, SH.message, Literal("An agreement should be a program.")))
    data = Graph()
    data.add((ID.x, RDF.type, SG.Agreement))
    for allow in (True, False):
        reference = validate_graph(data, shapes, allow_warnings=allow)
        compiled = validate_store(_store(data), shapes, allow_warnings=allow, originals=data)
        _assert_same(reference, compiled)
        assert compiled.conforms is allow
