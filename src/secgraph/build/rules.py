"""The OWL 2 RL rules the ontology exercises, evaluated semi-naively in Python over a fixed,
already closed schema (the fast reasoner); never filters or reports.

Terms are handled in their N-Triples form (``<iri>``, ``_:label``, ``"lexical"^^<datatype>``):
pyoxigraph writes and reads them in bulk, and Python strings hash once, so the rules never
cross into pyoxigraph per triple. A literal keeps its lexical form, as owlrl does.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from sys import intern

import pyoxigraph as ox
from owlrl.DatatypeHandling import AltXSDToPYTHON
from owlrl.XsdDatatypes import OWL_RL_Datatypes
from rdflib import URIRef, namespace

OWL, RDF, RDFS = str(namespace.OWL), str(namespace.RDF), str(namespace.RDFS)

Fact = tuple[str, str, str]
"""Subject, predicate and object in N-Triples form."""

# OWL terms the rules below cover, or that license no inference about instances (declarations,
# annotations). Any other OWL term in the schema, e.g. owl:FunctionalProperty (prp-fp infers
# owl:sameAs) or owl:someValuesFrom (cls-svf1), makes the fast path step aside for owlrl.
SUPPORTED_OWL_TERMS = frozenset(
    OWL + name
    for name in [
        "Class",
        "AnnotationProperty",
        "DatatypeProperty",
        "ObjectProperty",
        "Ontology",
        "NamedIndividual",
        "Thing",
        "Nothing",
        "versionIRI",
        "versionInfo",
        "imports",
        "priorVersion",
        "deprecated",
        "equivalentClass",
        "equivalentProperty",
        "inverseOf",
        "TransitiveProperty",
        "SymmetricProperty",
        "propertyChainAxiom",
        "AllDisjointClasses",
        "members",
        "disjointWith",
        "sameAs",
    ]
)
# RDFS predicates instance data may use; a data triple with any other RDFS or OWL predicate, or
# typed with an RDFS or OWL class, is schema in disguise: the cached schema closure would miss it.
DATA_ANNOTATIONS = frozenset(RDFS + name for name in ("label", "comment", "seeAlso", "isDefinedBy"))


def _iri(base: str, name: str) -> str:
    return f"<{base}{name}>"


TYPE = _iri(RDF, "type")
_FIRST, _REST, _NIL = _iri(RDF, "first"), _iri(RDF, "rest"), _iri(RDF, "nil")
_SUB_PROPERTY, _SUB_CLASS = _iri(RDFS, "subPropertyOf"), _iri(RDFS, "subClassOf")
_DOMAIN, _RANGE = _iri(RDFS, "domain"), _iri(RDFS, "range")
_EQUIVALENT_PROPERTY = _iri(OWL, "equivalentProperty")
_EQUIVALENT_CLASS = _iri(OWL, "equivalentClass")
_INVERSE, _SAME_AS = _iri(OWL, "inverseOf"), _iri(OWL, "sameAs")
_SYMMETRIC, _TRANSITIVE = _iri(OWL, "SymmetricProperty"), _iri(OWL, "TransitiveProperty")
_CHAIN, _DISJOINT = _iri(OWL, "propertyChainAxiom"), _iri(OWL, "disjointWith")
_ALL_DISJOINT, _MEMBERS = _iri(OWL, "AllDisjointClasses"), _iri(OWL, "members")
_NOTHING = _iri(OWL, "Nothing")
_OWL, _RDFS = f"<{OWL}", f"<{RDFS}"
_ANNOTATIONS = frozenset(f"<{iri}>" for iri in DATA_ANNOTATIONS)
# Non-OWL predicates the schema is read from (every owl: predicate counts as well).
_SCHEMA_PREDICATES = frozenset({_SUB_PROPERTY, _SUB_CLASS, _DOMAIN, _RANGE, _FIRST, _REST})
# Types that say nothing the rules read (every node has them, or they only declare an individual).
_INSTANCE_TYPES = frozenset(
    {_iri(OWL, "Thing"), _iri(RDFS, "Resource"), _iri(OWL, "NamedIndividual"), _NOTHING}
)
# dt-not-type checks the datatypes owlrl checks, on the literals rdflib gives it: xsd:string and
# language-tagged literals are plain literals there, never checked.
_CHECKED_DATATYPES = frozenset(
    f"<{datatype}>" for datatype in OWL_RL_Datatypes if str(datatype) != str(namespace.XSD.string)
)
_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"(?:@[^ ]+|\^\^<[^>]*>)?')


class UnsupportedSchemaError(Exception):
    """The schema or the data uses a construct the fast rules do not cover."""


class ContradictionError(Exception):
    """An OWL 2 RL contradiction rule fired; the caller asks owlrl for the full report."""


def materialize(
    asserted: Iterable[ox.Quad], schema_closure: Iterable[ox.Triple], ontology_graph: str
) -> list[Fact]:
    """The triples OWL 2 RL adds to ``asserted`` (quads in named graphs, the ontology in
    ``ontology_graph``), given ``schema_closure``: what owlrl adds to the ontology alone.

    Raises UnsupportedSchemaError or ContradictionError; both leave the answer to owlrl.
    """
    ontology = f"<{ontology_graph}>"
    given: dict[Fact, None] = {}
    schema_facts: list[Fact] = []
    stated: tuple[Fact, str] | None = None
    for fact, graph in read_nquads(ox.serialize(asserted, format=ox.RdfFormat.N_QUADS)):
        given[fact] = None
        if graph == ontology:
            schema_facts.append(fact)
        elif stated is None and _states_schema(fact):
            stated = fact, graph
    asserted_facts = set(given)
    closure = (ox.Quad(t.subject, t.predicate, t.object) for t in schema_closure)
    for fact, _ in read_nquads(ox.serialize(closure, format=ox.RdfFormat.N_QUADS)):
        given[fact] = None
        schema_facts.append(fact)
    _check_supported(given)
    if stated is not None:
        (subject, predicate, obj), graph = stated
        raise UnsupportedSchemaError(f"graph {graph} states schema: {subject} {predicate} {obj}")
    schema = Schema.from_facts(schema_facts)
    known = _Closure(schema).run(given)
    schema.check_consistent(known)
    # dt-not-type (OWL 2 Profiles §4.3 Table 8), checked the way owlrl checks it.
    if any(_ill_typed(obj) for obj in {fact[2] for fact in asserted_facts}):
        raise ContradictionError("dt-not-type")
    return list(known - asserted_facts)


def read_nquads(data: bytes | None) -> Iterator[tuple[Fact, str]]:
    """Split N-Quads as pyoxigraph writes them (one statement a line, single spaces) into
    facts and graph names (``""`` for the default graph). Terms are interned: a node named a
    thousand times is one string, compared by identity."""
    for line in (data or b"").decode().splitlines():
        subject, predicate, rest = line[:-2].split(" ", 2)
        if rest[0] == '"':
            match = _LITERAL.match(rest)
            if match is None:
                raise ValueError(f"not an N-Quads literal: {rest}")
            end = match.end()
        else:
            end = rest.find(" ")
            end = len(rest) if end < 0 else end
        yield (intern(subject), intern(predicate), intern(rest[:end])), intern(rest[end + 1 :])


def to_triples(facts: Iterable[Fact]) -> list[ox.Triple]:
    """The facts as pyoxigraph triples, read back in one pass (blank nodes keep their labels)."""
    text = "".join(f"{subject} {predicate} {obj} .\n" for subject, predicate, obj in facts)
    return [quad.triple for quad in ox.parse(input=text, format=ox.RdfFormat.N_TRIPLES)]


def _states_schema(fact: Fact) -> bool:
    _, predicate, obj = fact
    if predicate == TYPE:
        return obj.startswith((_OWL, _RDFS))
    return (predicate.startswith(_RDFS) and predicate not in _ANNOTATIONS) or predicate.startswith(
        _OWL
    )


def _check_supported(facts: Iterable[Fact]) -> None:
    used: set[str] = set()
    same_as = False
    for subject, predicate, obj in facts:
        if predicate.startswith(_OWL):
            used.add(predicate[1:-1])
            same_as = same_as or (predicate == _SAME_AS and subject != obj)
        elif predicate == TYPE and obj.startswith(_OWL):
            used.add(obj[1:-1])
    unsupported = sorted(used - SUPPORTED_OWL_TERMS)
    if unsupported:
        raise UnsupportedSchemaError("the schema uses " + ", ".join(unsupported))
    if same_as:
        raise UnsupportedSchemaError("owl:sameAs between distinct nodes (eq-rep-*)")


def _ill_typed(term: str) -> bool:
    if not term.startswith('"') or not term.endswith(">"):
        return False
    lexical, _, datatype = term.rpartition("^^")
    if datatype not in _CHECKED_DATATYPES:
        return False
    value = lexical[1:-1]
    if "\\" in value:  # an escape: let the parser read the lexical form
        value = next(
            iter(ox.parse(input=f"<x:s> <x:p> {term} .", format=ox.RdfFormat.N_TRIPLES))
        ).object.value
    try:
        AltXSDToPYTHON.get(URIRef(datatype[1:-1]), str)(value)
    except ValueError:
        return True
    return False


@dataclass
class Schema:
    """What each predicate and class entails (OWL 2 Profiles §4.3, Tables 5, 7 and 9), read
    once from the closed schema; the instance rules only look things up here."""

    # prp-spo1, prp-eqp: x p y gives x q y.
    same: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # prp-inv1, prp-inv2, prp-symp: x p y gives y q x.
    flipped: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # prp-dom, prp-rng: x p y gives x a c, y a c.
    domains: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    ranges: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # cax-sco, cax-eqc: x a c gives x a d.
    superclasses: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # prp-trp and prp-spo2: the rules that join two or more facts.
    transitive: set[str] = field(default_factory=set)
    chains: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    # cax-dw, cax-adc: pairs of classes no node may belong to both of.
    disjoint: set[tuple[str, str]] = field(default_factory=set)
    all_disjoint: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def from_facts(cls, facts: Sequence[Fact]) -> Schema:
        schema = cls()
        by_predicate: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for subject, predicate, obj in facts:
            by_predicate[predicate].append((subject, obj))
        for p, q in by_predicate[_SUB_PROPERTY]:
            if p != q:
                schema.same[p].add(q)
        for p, q in by_predicate[_EQUIVALENT_PROPERTY]:
            schema.same[p].add(q)
            schema.same[q].add(p)
        for p, q in by_predicate[_INVERSE]:
            schema.flipped[p].add(q)
            schema.flipped[q].add(p)
        for p, c in by_predicate[_DOMAIN]:
            schema.domains[p].add(c)
        for p, c in by_predicate[_RANGE]:
            schema.ranges[p].add(c)
        for c, d in by_predicate[_SUB_CLASS]:
            if c != d:
                schema.superclasses[c].add(d)
        for c, d in by_predicate[_EQUIVALENT_CLASS]:
            schema.superclasses[c].add(d)
            schema.superclasses[d].add(c)
        schema.disjoint.update(by_predicate[_DISJOINT])
        lists = _Lists(by_predicate)
        for node, kind in by_predicate[TYPE]:
            if kind == _SYMMETRIC:
                schema.flipped[node].add(node)
            elif kind == _TRANSITIVE:
                schema.transitive.add(node)
        all_disjoint = {node for node, kind in by_predicate[TYPE] if kind == _ALL_DISJOINT}
        for node, members in by_predicate[_MEMBERS]:
            if node in all_disjoint:
                classes = lists.items(members)
                schema.all_disjoint.update((c, d) for c in classes for d in classes if c != d)
        for p, head in by_predicate[_CHAIN]:
            links = lists.items(head)
            if not links or not all(link.startswith("<") for link in links):
                raise UnsupportedSchemaError(
                    f"property chain of {p} is not a list of named properties"
                )
            schema.chains.append((p, tuple(links)))
        return schema

    def reads(self, fact: Fact) -> bool:
        """Whether ``fact`` is schema these rules read (or would have to): a new one means the
        schema is not closed over the data, and only owlrl can say what follows."""
        _, predicate, obj = fact
        if predicate.startswith(_OWL) or predicate in _SCHEMA_PREDICATES:
            return True
        return predicate == TYPE and obj.startswith((_OWL, _RDFS)) and obj not in _INSTANCE_TYPES

    def check_consistent(self, known: set[Fact]) -> None:
        """cls-nothing2, cax-dw, cax-adc (OWL 2 Profiles §4.3, Tables 7 and 9)."""
        watched = {c for pair in self.disjoint | self.all_disjoint for c in pair} | {_NOTHING}
        members: dict[str, set[str]] = defaultdict(set)
        for subject, predicate, obj in known:
            if predicate == TYPE and obj in watched:
                members[obj].add(subject)
        if members[_NOTHING]:
            raise ContradictionError("cls-nothing2")
        for name, pairs in (("cax-dw", self.disjoint), ("cax-adc", self.all_disjoint)):
            if any(members[c] & members[d] for c, d in pairs):
                raise ContradictionError(name)


class _Lists:
    """RDF collections of the schema (rdf:first / rdf:rest), read into Python lists."""

    def __init__(self, by_predicate: dict[str, list[tuple[str, str]]]) -> None:
        self.first = dict(by_predicate.get(_FIRST, []))
        self.rest = dict(by_predicate.get(_REST, []))

    def items(self, head: str) -> list[str]:
        items: list[str] = []
        node = head
        while node != _NIL and len(items) < 1000:
            if node not in self.first or node not in self.rest:
                return []
            items.append(self.first[node])
            node = self.rest[node]
        return items


@dataclass(frozen=True)
class _Consequences:
    """Everything the non-joining rules derive from one fact ``x p y``, the schema being
    closed: facts ``x q y`` (``same``), ``y q x`` (``flipped``) and the types of x and y."""

    same: tuple[str, ...]
    flipped: tuple[str, ...]
    subject_types: tuple[str, ...]
    object_types: tuple[str, ...]


class _Closure:
    """Semi-naive evaluation. A fact's consequences under the one-fact rules (prp-spo1,
    prp-eqp, prp-inv1/2, prp-symp, prp-dom, prp-rng, cax-sco, cax-eqc) are worked out once per
    predicate and class, and are themselves closed: they need no further rounds. Only prp-trp
    and prp-spo2 join facts, through indexes kept for their predicates alone; what they derive
    is a new fact like any asserted one."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.known: set[Fact] = set()
        joined = set(schema.transitive) | {p for _, links in schema.chains for p in links}
        rules_about_type = (schema.same, schema.flipped, schema.domains, schema.ranges)
        if TYPE in joined or any(TYPE in rules for rules in rules_about_type):
            raise UnsupportedSchemaError("the schema has rules about rdf:type itself")
        self.forward: dict[str, dict[str, set[str]]] = {p: {} for p in joined}
        self.backward: dict[str, dict[str, set[str]]] = {p: {} for p in joined}
        # Where each chain link occurs: predicate -> (chain property, links, position).
        self.chain_links: dict[str, list[tuple[str, tuple[str, ...], int]]] = defaultdict(list)
        for p, links in schema.chains:
            for position, link in enumerate(links):
                self.chain_links[link].append((p, links, position))
        self._consequences: dict[str, _Consequences] = {}
        self._classes: dict[str, tuple[str, ...]] = {}

    def run(self, given: Iterable[Fact]) -> set[Fact]:
        """Close ``given`` (added to what is known) under the rules; return every fact known."""
        pending = self._learn(given, derived=False)
        while pending:
            # One-fact consequences come out closed: new ones only go on to the joins.
            closed: list[Fact] = []
            for fact in pending:
                closed += self._consequences_of_fact(fact)
            to_join = [fact for fact in pending if fact[1] in self.forward]
            to_join += [fact for fact in self._learn(closed) if fact[1] in self.forward]
            # What the joins derive starts over as a new fact.
            joined: list[Fact] = []
            for fact in to_join:
                joined += self._join(fact)
            pending = self._learn(joined)
        return self.known

    def _learn(self, facts: Iterable[Fact], *, derived: bool = True) -> list[Fact]:
        """Add the facts not known yet (indexed for the joins) and return them."""
        known, reads, forward = self.known, self.schema.reads, self.forward
        new: list[Fact] = []
        for fact in facts:
            if fact in known:
                continue
            if derived and reads(fact):
                raise UnsupportedSchemaError(f"the data entails new schema: {' '.join(fact)}")
            known.add(fact)
            new.append(fact)
            if fact[1] in forward:
                self._index(fact)
        return new

    def _consequences_of_fact(self, fact: Fact) -> list[Fact]:
        x, p, y = fact
        if p == TYPE:
            return [(x, TYPE, c) for c in self._superclasses(y)]
        rules = self._consequences_of(p)
        derived = [(x, q, y) for q in rules.same]
        derived += [(y, q, x) for q in rules.flipped]
        derived += [(x, TYPE, c) for c in rules.subject_types]
        derived += [(y, TYPE, c) for c in rules.object_types]
        return derived

    def _join(self, fact: Fact) -> list[Fact]:
        x, p, y = fact
        forward, backward = self.forward, self.backward
        derived: list[Fact] = []
        if p in self.schema.transitive:
            derived += [(x, p, z) for z in forward[p].get(y, ())]
            derived += [(w, p, y) for w in backward[p].get(x, ())]
        for chain, links, position in self.chain_links.get(p, ()):
            starts = _walk(links[:position][::-1], {x}, backward)
            ends = _walk(links[position + 1 :], {y}, forward)
            derived += [(start, chain, end) for start in starts for end in ends]
        return derived

    def _index(self, fact: Fact) -> None:
        subject, predicate, obj = fact
        self.forward[predicate].setdefault(subject, set()).add(obj)
        self.backward[predicate].setdefault(obj, set()).add(subject)

    def _consequences_of(self, predicate: str) -> _Consequences:
        found = self._consequences.get(predicate)
        if found is None:
            found = self._consequences[predicate] = self._work_out(predicate)
        return found

    def _work_out(self, predicate: str) -> _Consequences:
        # States (q, True) stand for x q y, (q, False) for y q x. Like owlrl, the rules run on
        # generalized triples: a literal object may become a subject (and its consequences
        # reach the other node); the noise filter drops the literal-subject triples at the end.
        schema = self.schema
        states = {(predicate, True)}
        stack = [(predicate, True)]
        while stack:
            q, ahead = stack.pop()
            steps = [(r, ahead) for r in schema.same.get(q, ())]
            steps += [(r, not ahead) for r in schema.flipped.get(q, ())]
            for step in steps:
                if step not in states:
                    states.add(step)
                    stack.append(step)
        subject_types: set[str] = set()
        object_types: set[str] = set()
        for q, ahead in states:
            subject_types.update(schema.domains.get(q, ()) if ahead else schema.ranges.get(q, ()))
            object_types.update(schema.ranges.get(q, ()) if ahead else schema.domains.get(q, ()))
        return _Consequences(
            same=tuple(q for q, ahead in states if ahead and q != predicate),
            flipped=tuple(q for q, ahead in states if not ahead),
            subject_types=self._closed(subject_types),
            object_types=self._closed(object_types),
        )

    def _closed(self, classes: Iterable[str]) -> tuple[str, ...]:
        return tuple({d for c in classes for d in (c, *self._superclasses(c))})

    def _superclasses(self, cls: str) -> tuple[str, ...]:
        found = self._classes.get(cls)
        if found is None:
            reached: set[str] = set()
            stack = [cls]
            while stack:
                for d in self.schema.superclasses.get(stack.pop(), ()):
                    if d not in reached:
                        reached.add(d)
                        stack.append(d)
            found = self._classes[cls] = tuple(reached)
        return found


def _walk(links: Sequence[str], nodes: set[str], index: dict[str, dict[str, set[str]]]) -> set[str]:
    for link in links:
        edges = index[link]
        nodes = {n for node in nodes for n in edges.get(node, ())}
    return nodes
