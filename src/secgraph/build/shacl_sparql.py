"""Compile SHACL shapes to SPARQL queries and run them over a whole pyoxigraph store; never parses
files, never reasons, never falls back (callers catch UnsupportedShapeError and use pySHACL).

One query per constraint and shape (SHACL §2.1 focus nodes joined with §2.3 value nodes), not
one per focus node. Each value constraint compiles to a SPARQL expression that is true only when
the value surely conforms; the few rows it cannot decide are settled in Python with rdflib's
semantics, the ones pySHACL applies (ill-typed literals, literal comparison), so the results are
pySHACL's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import Decimal
from itertools import count
from typing import cast

import pyoxigraph as ox
from pyshacl.rdfutil.compare import compare_literal as _compare_literal
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from secgraph.terms import OxTerm, to_rdflib

compare_literal = cast(Callable[[Literal, Literal], int], _compare_literal)

_TYPE_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
_FRESH = count()


class UnsupportedShapeError(ValueError):
    """The shapes graph uses a feature this compiler does not translate."""


@dataclass(frozen=True)
class Result:
    """One validation result (SHACL §3.6.2) with the data's terms as the store holds them."""

    focus: OxTerm
    path: URIRef | None
    message: str
    severity: URIRef
    source_shape: Node
    component: URIRef
    value: OxTerm | None


# --------------------------------------------------------------------------------------------------
# Value checks: a SPARQL "surely conforms" expression plus, when it is not exact, a Python decision.
# --------------------------------------------------------------------------------------------------

ValueTest = Callable[[Node], bool]


@dataclass(frozen=True)
class Check:
    """A condition on one value node ``{v}``.

    ``sure`` is a SPARQL expression (``{v}`` stands for the variable) that is true only when the
    value conforms. If ``exact`` it is also false whenever the value does not conform; otherwise
    ``decide`` (rdflib semantics) settles the values ``sure`` does not accept.
    """

    sure: str
    exact: bool
    decide: ValueTest | None = None
    failing: str | None = None  # exact only: group pattern keeping the values that do not conform

    def sparql(self, var: str) -> str:
        return self.sure.replace("{v}", var)

    def keep_failing(self, var: str) -> str:
        """Filters that keep the values that do not surely conform."""
        if self.failing is not None:
            return self.failing.replace("{v}", var)
        return f"FILTER(!{self.sparql(var)})"


def _int(node: Node | None) -> int:
    if not isinstance(node, Literal) or not isinstance(node.value, int):
        raise UnsupportedShapeError(f"not an integer: {node!r}")
    return node.value


def _uri(node: Node) -> URIRef:
    if not isinstance(node, URIRef):
        raise UnsupportedShapeError(f"not an IRI: {node!r}")
    return node


def _iri(node: Node) -> str:
    return f"<{node}>"


def _sparql_literal(node: Node) -> str:
    if isinstance(node, URIRef):
        return _iri(node)
    if isinstance(node, Literal):
        text = str(node).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        text = text.replace("\r", "\\r")
        if node.language:
            return f'"{text}"@{node.language}'
        if node.datatype is None or node.datatype == XSD.string:
            return f'"{text}"'
        return f'"{text}"^^<{node.datatype}>'
    raise UnsupportedShapeError(f"blank node as a constraint parameter: {node}")


def _canonicalizable(node: Node) -> bool:
    # Oxigraph stores typed literals other than strings by value, so equality by term would not be
    # rdflib's equality by lexical form (RDF 1.1 Concepts §3.3).
    return (
        isinstance(node, Literal)
        and node.language is None
        and node.datatype not in (None, XSD.string)
    )


# pySHACL's DatatypeConstraintComponent._assert_actual_datatype: the Python type rdflib parses to.
_PYTHON_TYPES: dict[URIRef, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
}


def _datatype_conforms(value: Node, datatype: URIRef) -> bool:
    """pySHACL's sh:datatype test (SHACL §4.1.2) on an rdflib term."""
    if not isinstance(value, Literal):
        return False
    if value.datatype == datatype:
        if getattr(value, "ill_typed", None) is True:
            return False
        return _actual(value, datatype)
    if datatype == RDFS.Literal:
        return True
    if datatype == RDFS.Datatype and value.datatype:
        return True
    if value.datatype is None and value.language is None and datatype == XSD.string:
        return _actual(value, datatype)
    if datatype == RDF.langString and value.language:
        return _actual(value, datatype)
    return False


def _actual(value: Literal, datatype: URIRef) -> bool:
    python = value.value
    expected = _PYTHON_TYPES.get(datatype)
    if expected is not None:
        return isinstance(python, expected)
    if datatype == XSD.date:
        return isinstance(python, date)
    if datatype == XSD.time:
        return isinstance(python, time)
    if datatype == XSD.dateTime:
        return isinstance(python, datetime)
    return True  # pySHACL assumes other datatypes pass


# Lexical forms that rdflib surely parses to the Python type pySHACL expects (XSD 1.1 Part 2 §3.3).
_SURE_LEXICAL = {
    XSD.date: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    XSD.gYear: "^[0-9]{4}$",
    XSD.gYearMonth: "^[0-9]{4}-(0[1-9]|1[0-2])$",
    XSD.integer: "^[+-]?[0-9]+$",
    XSD.decimal: "^[+-]?([0-9]+(\\\\.[0-9]*)?|\\\\.[0-9]+)$",
}


def _datatype_check(datatype: URIRef) -> Check:
    def decide(value: Node) -> bool:
        return _datatype_conforms(value, datatype)

    if datatype == XSD.string:  # simple literals (RDF 1.1: xsd:string) always are str
        return Check(f"(isLiteral({{v}}) && datatype({{v}}) = <{XSD.string}>)", True)
    if datatype == RDF.langString:
        return Check('(isLiteral({v}) && lang({v}) != "")', True)
    sure = "false"
    lexical = _SURE_LEXICAL.get(datatype)
    if lexical is not None:
        sure = (
            f"(isLiteral({{v}}) && datatype({{v}}) = <{datatype}> "
            f'&& REGEX(STR({{v}}), "{lexical}"))'
        )
        if datatype == XSD.date:  # the regex admits 2020-02-30; the cast does not
            sure = (
                f"({sure} && COALESCE(BOUND({{v}}) && STR(<{XSD.date}>(STR({{v}}))) != '', false))"
            )
        if datatype == XSD.gYear:
            sure = f'({sure} && STR({{v}}) != "0000")'
        if datatype == XSD.gYearMonth:
            sure = f'({sure} && !STRSTARTS(STR({{v}}), "0000"))'
    return Check(sure, False, decide)


def _node_kind_check(kind: Node) -> Check:
    tests = {
        SH.IRI: "isIRI({v})",
        SH.BlankNode: "isBlank({v})",
        SH.Literal: "isLiteral({v})",
        SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
        SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
        SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
    }
    kinds = {
        SH.IRI: (URIRef,),
        SH.BlankNode: (BNode,),
        SH.Literal: (Literal,),
        SH.BlankNodeOrIRI: (BNode, URIRef),
        SH.BlankNodeOrLiteral: (BNode, Literal),
        SH.IRIOrLiteral: (URIRef, Literal),
    }
    if kind not in tests:
        raise UnsupportedShapeError(f"sh:nodeKind {kind}")
    python = kinds[_uri(kind)]
    return Check(tests[_uri(kind)], True, lambda value: isinstance(value, python))


def _pattern_check(pattern: str, flags: str) -> Check:
    if set(flags) - set("imsx"):
        raise UnsupportedShapeError(f"sh:flags {flags!r}")
    python_flags = 0
    for letter, flag in (("i", re.I), ("m", re.M), ("s", re.S), ("x", re.X)):
        if letter in flags:
            python_flags |= flag
    compiled = re.compile(pattern, python_flags)
    quoted = pattern.replace("\\", "\\\\").replace('"', '\\"')

    def decide(value: Node) -> bool:  # pySHACL: blank nodes never match (SHACL §4.4.3)
        return not isinstance(value, BNode) and compiled.search(str(value)) is not None

    return Check(f'(!isBlank({{v}}) && REGEX(STR({{v}}), "{quoted}", "{flags}"))', False, decide)


def _length_check(limit: int, at_most: bool) -> Check:
    def decide(value: Node) -> bool:
        if isinstance(value, BNode):
            return False
        return len(str(value)) <= limit if at_most else len(str(value)) >= limit

    operator = "<=" if at_most else ">="
    return Check(f"(!isBlank({{v}}) && STRLEN(STR({{v}})) {operator} {limit})", False, decide)


def _range_check(bound: Literal, operator: str) -> Check:
    if not isinstance(bound, Literal) or isinstance(bound.value, str) or bound.value is None:
        raise UnsupportedShapeError(f"range bound {bound!r}")
    accept = {
        ">=": lambda c: c >= 0,
        ">": lambda c: c > 0,
        "<=": lambda c: c <= 0,
        "<": lambda c: c < 0,
    }
    test = accept[operator]

    def decide(value: Node) -> bool:  # pySHACL's value_range_constraints
        if not isinstance(value, Literal) or isinstance(value.value, str):
            return False
        try:
            return bool(test(compare_literal(value, bound)))  # type: ignore[no-untyped-call]
        except (TypeError, NotImplementedError):
            return False

    sure = "false"
    if isinstance(bound.value, int | Decimal) and not isinstance(bound.value, bool):
        sure = f"(isNumeric({{v}}) && {{v}} {operator} {bound.value})"
    return Check(sure, False, decide)


def _language_in_check(shapes: Graph, node: Node) -> Check:
    languages = {str(item).lower() for item in Collection(shapes, node)}
    if "*" in languages:
        return Check(
            '(isLiteral({v}) && lang({v}) != "")',
            True,
            lambda v: isinstance(v, Literal) and bool(v.language),
        )
    listed = ", ".join(f'"{language}"' for language in sorted(languages)) or '"\\u0000"'

    def decide(value: Node) -> bool:
        if not isinstance(value, Literal) or not value.language:
            return False
        lang = str(value.language).lower()
        return lang in languages or lang.split("-")[0] in languages

    sure = (
        f'(isLiteral({{v}}) && lang({{v}}) != "" && (LCASE(lang({{v}})) IN ({listed}) '
        f'|| LCASE(STRBEFORE(lang({{v}}), "-")) IN ({listed})))'
    )
    return Check(sure, True, decide)


def _in_check(shapes: Graph, node: Node) -> Check:
    members = list(Collection(shapes, node))
    if any(isinstance(m, BNode) or _canonicalizable(m) for m in members):
        raise UnsupportedShapeError("sh:in with blank nodes or typed literals")
    listed = " || ".join(f"sameTerm({{v}}, {_sparql_literal(m)})" for m in members) or "false"
    allowed = set(members)
    return Check(f"({listed})", True, lambda value: value in allowed)


def _class_check(cls: Node) -> Check:
    # SHACL §4.1.1: a SHACL instance, rdf:type/rdfs:subClassOf*. Reasoning has usually asserted the
    # type itself: that lookup first. Oxigraph plans FILTER NOT EXISTS as an anti-join but an EXISTS
    # inside an expression once per row; MINUS evaluates the path once, from the class to all its
    # instances (the same as NOT EXISTS here: ?value, the one shared variable, is always bound).
    direct = f"{{v}} <{RDF.type}> {_iri(cls)}"
    path = f"{{v}} {_TYPE_PATH} {_iri(cls)}"
    return Check(
        f"(EXISTS {{ {direct} }} || EXISTS {{ {path} }})",
        True,
        failing=f"FILTER NOT EXISTS {{ {direct} }} MINUS {{ {path} }}",
    )


def _equals(expected: Node) -> ValueTest:
    return lambda value: value == expected


def _all(checks: list[Check]) -> Check:
    if not checks:
        return Check("true", True, lambda value: True)
    sure = "(" + " && ".join(c.sure for c in checks) + ")"
    exact = all(c.exact for c in checks)
    if exact:
        return Check(sure, True, _all_decide(checks) if all(c.decide for c in checks) else None)
    if not all(c.decide for c in checks):
        raise UnsupportedShapeError("a value shape mixes graph tests with rdflib-decided ones")
    return Check(sure, False, _all_decide(checks))


def _all_decide(checks: list[Check]) -> ValueTest:
    deciders = [c.decide for c in checks if c.decide is not None]
    return lambda value: all(d(value) for d in deciders)


# --------------------------------------------------------------------------------------------------
# Shapes
# --------------------------------------------------------------------------------------------------

_VALUE_PARAMETERS = {
    SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH.flags, SH.minLength, SH.maxLength,
    SH.minInclusive, SH.minExclusive, SH.maxInclusive, SH.maxExclusive, SH.languageIn, SH["in"],
    SH["or"], SH["and"], SH.xone, SH["not"],
}  # fmt: skip
_FOCUS_PARAMETERS = {
    SH.minCount, SH.maxCount, SH.hasValue, SH.uniqueLang, SH.lessThanOrEquals, SH.lessThan,
    SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.sparql, SH.property,
}  # fmt: skip
_DESCRIPTIVE = {
    RDF.type, RDFS.label, RDFS.comment, SH.message, SH.severity, SH.path, SH.name, SH.description,
    SH.order, SH.group, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
    SH.target, SH.deactivated, SH.defaultValue,
}  # fmt: skip
_COMPONENTS = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH["and"]: SH.AndConstraintComponent,
    SH.xone: SH.XoneConstraintComponent,
    SH["not"]: SH.NotConstraintComponent,
}


def _one(shapes: Graph, node: Node, predicate: URIRef) -> Node | None:
    values = list(shapes.objects(node, predicate))
    if len(values) > 1:
        raise UnsupportedShapeError(f"{node} has {len(values)} values of {predicate}")
    return values[0] if values else None


def _path(shapes: Graph, shape: Node) -> URIRef | None:
    path = _one(shapes, shape, SH.path)
    if path is not None and not isinstance(path, URIRef):
        raise UnsupportedShapeError(f"complex sh:path on {shape}")
    return path


def _check_parameters(shapes: Graph, shape: Node) -> None:
    known = _VALUE_PARAMETERS | _FOCUS_PARAMETERS | _DESCRIPTIVE
    for predicate in set(shapes.predicates(shape, None)):
        if predicate not in known and str(predicate).startswith(str(SH)):
            raise UnsupportedShapeError(f"{predicate} on {shape}")
        if predicate not in known and (predicate, RDF.type, SH.Parameter) in shapes:
            raise UnsupportedShapeError(f"SPARQL-based constraint component parameter {predicate}")
    if (shape, SH.deactivated, None) in shapes:
        raise UnsupportedShapeError(f"sh:deactivated on {shape}")


def _value_checks(shapes: Graph, shape: Node) -> list[tuple[URIRef, Node, Check]]:
    """The value-node constraints of ``shape``: (parameter, its value, check) each."""
    found: list[tuple[URIRef, Node, Check]] = []
    flags = _one(shapes, shape, SH.flags)
    for predicate, value in sorted(shapes.predicate_objects(shape)):
        if predicate not in _VALUE_PARAMETERS or predicate == SH.flags:
            continue
        found.append((_uri(predicate), value, _value_check(shapes, predicate, value, flags)))
    return found


def _value_check(shapes: Graph, predicate: Node, value: Node, flags: Node | None) -> Check:
    if predicate == SH["class"]:
        return _class_check(value)
    if predicate == SH.datatype:
        return _datatype_check(_uri(value))
    if predicate == SH.nodeKind:
        return _node_kind_check(value)
    if predicate == SH.pattern:
        return _pattern_check(str(value), str(flags or ""))
    if predicate in (SH.minLength, SH.maxLength):
        return _length_check(_int(value), predicate == SH.maxLength)
    if predicate in (SH.minInclusive, SH.minExclusive, SH.maxInclusive, SH.maxExclusive):
        operator = {
            SH.minInclusive: ">=",
            SH.minExclusive: ">",
            SH.maxInclusive: "<=",
            SH.maxExclusive: "<",
        }[_uri(predicate)]
        if not isinstance(value, Literal):
            raise UnsupportedShapeError(f"range bound {value!r}")
        return _range_check(value, operator)
    if predicate == SH.languageIn:
        return _language_in_check(shapes, value)
    if predicate == SH["in"]:
        return _in_check(shapes, value)
    members = [_conformance(shapes, member) for member in Collection(shapes, value)]
    if predicate == SH["or"]:
        if all(m.exact for m in members):
            return Check("(" + " || ".join(m.sure for m in members) + ")", True)
        if not all(m.exact or m.decide for m in members):
            raise UnsupportedShapeError("sh:or over graph tests and rdflib-decided ones")
        # A row reaches Python only when no member surely conforms: exact members then do not.
        deciders = [m.decide for m in members if not m.exact and m.decide]
        return Check(
            "(" + " || ".join(m.sure for m in members) + ")",
            False,
            lambda v: any(d(v) for d in deciders),
        )
    if not all(m.exact for m in members):
        raise UnsupportedShapeError(f"{predicate} over rdflib-decided shapes")
    if predicate == SH["and"]:
        return Check("(" + " && ".join(m.sure for m in members) + ")", True)
    if predicate == SH["not"]:
        [member] = members
        return Check(f"(!{member.sure})", True)
    # sh:xone: exactly one member conforms (SHACL §4.6.4)
    count = " + ".join(f"IF({m.sure}, 1, 0)" for m in members)
    return Check(f"(({count}) = 1)", True)


def _conformance(shapes: Graph, shape: Node) -> Check:
    """Whether a node conforms to a nested shape (inside sh:or, sh:qualifiedValueShape, ...)."""
    _check_parameters(shapes, shape)
    if set(shapes.objects(shape, SH.sparql)) or set(shapes.objects(shape, SH.property)):
        raise UnsupportedShapeError(f"nested shape {shape} with sh:sparql or sh:property")
    path = _path(shapes, shape)
    checks = [check for _, _, check in _value_checks(shapes, shape)]
    if path is None:
        for predicate in _FOCUS_PARAMETERS & set(shapes.predicates(shape, None)):
            if predicate != SH.hasValue:
                raise UnsupportedShapeError(f"{predicate} on nested node shape {shape}")
        for value in shapes.objects(shape, SH.hasValue):
            if _canonicalizable(value):
                raise UnsupportedShapeError("sh:hasValue with a typed literal")
            checks.append(Check(f"sameTerm({{v}}, {_sparql_literal(value)})", True, _equals(value)))
        return _all(checks)
    # A nested property shape: the node's values along the path, counted and tested (SHACL §2.3).
    allowed = {SH.minCount, SH.maxCount, SH.hasValue}
    for predicate in _FOCUS_PARAMETERS & set(shapes.predicates(shape, None)):
        if predicate not in allowed:
            raise UnsupportedShapeError(f"{predicate} on nested property shape {shape}")
    parts: list[str] = []
    # Fresh variables: a nested shape's own tests may hold another nested shape's patterns.
    x, y, z = (f"?_n{next(_FRESH)}" for _ in range(3))
    each = _all(checks)
    if not each.exact:
        raise UnsupportedShapeError(f"nested property shape {shape} needs rdflib-decided tests")
    if checks:
        parts.append(f"NOT EXISTS {{ {{v}} {_iri(path)} {x} FILTER(!{each.sparql(x)}) }}")
    minimum = _one(shapes, shape, SH.minCount)
    maximum = _one(shapes, shape, SH.maxCount)
    if minimum is not None and _int(minimum) > 0:
        if _int(minimum) != 1:
            raise UnsupportedShapeError("nested sh:minCount above 1")
        parts.append(f"EXISTS {{ {{v}} {_iri(path)} {y} }}")
    if maximum is not None:
        if _int(maximum) != 0:
            raise UnsupportedShapeError("nested sh:maxCount above 0")
        parts.append(f"NOT EXISTS {{ {{v}} {_iri(path)} {z} }}")
    for value in shapes.objects(shape, SH.hasValue):
        if _canonicalizable(value):
            raise UnsupportedShapeError("sh:hasValue with a typed literal")
        parts.append(f"EXISTS {{ {{v}} {_iri(path)} {_sparql_literal(value)} }}")
    return Check("(" + (" && ".join(parts) or "true") + ")", True)


# --------------------------------------------------------------------------------------------------
# Compiled queries
# --------------------------------------------------------------------------------------------------


@dataclass
class _Query:
    """One SPARQL query and how to turn its rows into results."""

    text: str
    shape: Node
    path: URIRef | None
    component: URIRef
    messages: list[str]
    severity: URIRef
    kind: str  # "value", "focus", "pair", "qualified", "sparql"
    decide: ValueTest | None = None
    compare: Callable[[Node, Node], bool] | None = None
    qualified: tuple[int | None, int | None] = (None, None)
    extra: str | None = None


@dataclass
class CompiledShapes:
    """Every query of a shapes graph; ``run`` evaluates them on a store's default graph."""

    queries: list[_Query] = field(default_factory=list)

    def run(self, store: ox.Store, *, union: bool = False) -> Iterator[Result]:
        """Evaluate every query on the default graph, or with ``union`` on the union of the named
        graphs (the same triple in several graphs counts once: every query is DISTINCT or counts
        distinct values)."""
        for query in self.queries:
            yield from _run(query, store, union)


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Translate every shape with targets; raise UnsupportedShapeError on anything unknown."""
    compiled = CompiledShapes()
    for kind in (SH.ConstraintComponent, SH.SPARQLRule, SH.TripleRule, SH.JSConstraint):
        if (None, RDF.type, kind) in shapes:
            # SHACL §6 components (and SHACL-AF rules) would need their validators compiled too.
            raise UnsupportedShapeError(f"the shapes graph declares a {kind}")
    targeted = _targeted_shapes(shapes)
    for shape in sorted(targeted, key=str):
        focus = _focus_pattern(shapes, shape)
        compiled.queries += _shape_queries(shapes, shape, focus)
        for prop in sorted(shapes.objects(shape, SH.property), key=str):
            compiled.queries += _shape_queries(shapes, prop, focus)
    return compiled


def _targeted_shapes(shapes: Graph) -> set[Node]:
    found: set[Node] = set()
    for predicate in (
        SH.targetClass,
        SH.targetNode,
        SH.targetSubjectsOf,
        SH.targetObjectsOf,
        SH.target,
    ):
        found |= set(shapes.subjects(predicate, None))
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        if (shape, RDF.type, RDFS.Class) in shapes:
            raise UnsupportedShapeError(f"implicit class target on {shape}")
    for shape in found:
        if (shape, SH.path, None) in shapes:
            raise UnsupportedShapeError(f"targets on the property shape {shape}")
    return found


def _prefixes(shapes: Graph, node: Node) -> str:
    lines = []
    for declarer in shapes.objects(node, SH.prefixes):
        for declaration in shapes.objects(declarer, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def _select_body(select: str) -> str:
    """A SELECT query's text, checked to be embeddable as a subquery (SHACL-AF §5.1, SHACL §5.3)."""
    upper = select.upper()
    if upper.count("SELECT") != 1 or re.search(
        r"\b(PREFIX|BASE|MINUS|SERVICE|VALUES|GRAPH)\b", upper
    ):
        raise UnsupportedShapeError(
            "SPARQL query with prefixes, subqueries, MINUS, VALUES or GRAPH"
        )
    if re.search(r"[$?](currentShape|shapesGraph|failure)\b", select):
        raise UnsupportedShapeError("SPARQL query using $currentShape, $shapesGraph or ?failure")
    return select


def _focus_pattern(shapes: Graph, shape: Node) -> tuple[str, str]:
    """(prefix lines, a group pattern binding ?this to every focus node once) for a node shape."""
    unions: list[str] = []
    prefixes: list[str] = []
    for cls in sorted(shapes.objects(shape, SH.targetClass), key=str):
        unions.append(f"{{ ?this {_TYPE_PATH} {_iri(cls)} }}")
    nodes = list(shapes.objects(shape, SH.targetNode))
    if nodes:
        if any(isinstance(n, BNode) or _canonicalizable(n) for n in nodes):
            raise UnsupportedShapeError("sh:targetNode with a blank node or typed literal")
        unions.append("{ VALUES ?this { " + " ".join(_sparql_literal(n) for n in nodes) + " } }")
    for predicate in sorted(shapes.objects(shape, SH.targetSubjectsOf), key=str):
        unions.append(f"{{ ?this {_iri(predicate)} ?_o }}")
    for predicate in sorted(shapes.objects(shape, SH.targetObjectsOf), key=str):
        unions.append(f"{{ ?_s {_iri(predicate)} ?this }}")
    for target in shapes.objects(shape, SH.target):
        if (target, RDF.type, SH.SPARQLTarget) not in shapes:
            raise UnsupportedShapeError(f"sh:target {target} is not a sh:SPARQLTarget")
        select = shapes.value(target, SH.select)
        if select is None:
            raise UnsupportedShapeError(f"SPARQL target {target} without sh:select")
        prefixes.append(_prefixes(shapes, target))
        unions.append("{ " + _select_body(str(select)) + " }")
    if not unions:
        raise UnsupportedShapeError(f"no targets on {shape}")
    pattern = "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(unions) + " } }"
    return "\n".join(p for p in prefixes if p), pattern


def _messages(shapes: Graph, shape: Node) -> list[str]:
    messages = [str(m) for m in shapes.objects(shape, SH.message)]
    if len(messages) > 1:
        raise UnsupportedShapeError(f"{shape} has several sh:message")
    return messages


def _shape_queries(shapes: Graph, shape: Node, focus: tuple[str, str]) -> list[_Query]:
    _check_parameters(shapes, shape)
    prefixes, focus_pattern = focus
    path = _path(shapes, shape)
    messages = _messages(shapes, shape)
    severity = _uri(shapes.value(shape, SH.severity) or SH.Violation)
    constraints = [
        p
        for p in set(shapes.predicates(shape, None))
        if p in (_VALUE_PARAMETERS | _FOCUS_PARAMETERS) - {SH.property}
    ]
    if constraints and not messages and set(constraints) != {SH.sparql}:
        # pySHACL then writes a generic message that prints nodes its own way: leave it to pySHACL.
        raise UnsupportedShapeError(f"{shape} has constraints but no sh:message")
    if (
        path is None
        and set(shapes.objects(shape, SH.property))
        and (shape, SH.path, None) in shapes
    ):
        raise UnsupportedShapeError("nested sh:property")
    head = (prefixes + "\n") if prefixes else ""
    values = f"?this {_iri(path)} ?value ." if path is not None else "BIND(?this AS ?value)"
    queries: list[_Query] = []

    def add(text: str, component: URIRef, kind: str, **extra: object) -> None:
        queries.append(
            _Query(head + text, shape, path, component, messages, severity, kind, **extra)  # type: ignore[arg-type]
        )

    for predicate, _, check in _value_checks(shapes, shape):
        failing = check.keep_failing("?value")
        text = f"SELECT DISTINCT ?this ?value WHERE {{ {focus_pattern} {values} {failing} }}"
        add(text, _COMPONENTS[predicate], "value", decide=None if check.exact else check.decide)
    if path is None:
        for predicate in _FOCUS_PARAMETERS & set(shapes.predicates(shape, None)):
            if predicate not in (SH.property, SH.sparql, SH.hasValue):
                raise UnsupportedShapeError(f"{predicate} on node shape {shape}")
        for value in shapes.objects(shape, SH.hasValue):
            same = f"sameTerm(?this, {_sparql_literal(value)})"
            text = f"SELECT ?this WHERE {{ {focus_pattern} FILTER(!{same}) }}"
            add(text, SH.HasValueConstraintComponent, "focus")
    else:
        queries += _path_queries(shapes, shape, path, focus_pattern, add)
    for constraint in sorted(shapes.objects(shape, SH.sparql), key=str):
        queries += _sparql_query(shapes, shape, constraint, focus_pattern, path, severity, messages)
    return queries


def _path_queries(
    shapes: Graph, shape: Node, path: URIRef, focus_pattern: str, add: Callable[..., None]
) -> list[_Query]:
    p = _iri(path)
    minimum = _one(shapes, shape, SH.minCount)
    if minimum is not None and _int(minimum) > 0:
        if _int(minimum) == 1:
            text = f"SELECT ?this WHERE {{ {focus_pattern} FILTER NOT EXISTS {{ ?this {p} ?_v }} }}"
        else:
            text = (
                f"SELECT ?this WHERE {{ {focus_pattern} OPTIONAL {{ ?this {p} ?_v }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) < {_int(minimum)})"
            )
        add(text, SH.MinCountConstraintComponent, "focus")
    maximum = _one(shapes, shape, SH.maxCount)
    if maximum is not None:
        text = (
            f"SELECT ?this WHERE {{ {focus_pattern} ?this {p} ?_v }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) > {_int(maximum)})"
        )
        add(text, SH.MaxCountConstraintComponent, "focus")
    for value in shapes.objects(shape, SH.hasValue):
        if _canonicalizable(value):
            raise UnsupportedShapeError("sh:hasValue with a typed literal")
        pattern = f"?this {p} {_sparql_literal(value)}"
        text = f"SELECT ?this WHERE {{ {focus_pattern} FILTER NOT EXISTS {{ {pattern} }} }}"
        add(text, SH.HasValueConstraintComponent, "focus")
    unique = _one(shapes, shape, SH.uniqueLang)
    if unique is not None and isinstance(unique, Literal) and unique.value is True:
        # One result per language tag used by two values or more (SHACL §4.4.4). Grouped, not a
        # join of the values in pairs: a node may have thousands of labels.
        text = (
            f"SELECT ?this ?lang WHERE {{ {focus_pattern} ?this {p} ?_v "
            f'FILTER(isLiteral(?_v) && lang(?_v) != "") BIND(LCASE(lang(?_v)) AS ?lang) }} '
            "GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?_v) > 1)"
        )
        add(text, SH.UniqueLangConstraintComponent, "focus")
    for predicate, component, operator in (
        (SH.lessThanOrEquals, SH.LessThanOrEqualsConstraintComponent, "<="),
        (SH.lessThan, SH.LessThanConstraintComponent, "<"),
    ):
        for other in shapes.objects(shape, predicate):
            text = (
                f"SELECT DISTINCT ?this ?value ?other WHERE {{ {focus_pattern} "
                f"?this {p} ?value . ?this {_iri(other)} ?other }}"
            )
            add(text, component, "pair", compare=_pair_compare(operator))
    qualified = _one(shapes, shape, SH.qualifiedValueShape)
    if qualified is not None:
        if (shape, SH.qualifiedValueShapesDisjoint, None) in shapes:
            raise UnsupportedShapeError("sh:qualifiedValueShapesDisjoint")
        check = _conformance(shapes, qualified)
        low = _one(shapes, shape, SH.qualifiedMinCount)
        high = _one(shapes, shape, SH.qualifiedMaxCount)
        counts = (_int(low) if low is not None else None, _int(high) if high is not None else None)
        # Every focus node with the values that surely conform counted; Python adds the rest.
        if check.exact:
            ok = check.sparql("?_ok")
            if counts[0] is not None and counts[0] > 0:
                text = (
                    f"SELECT ?this WHERE {{ {focus_pattern} "
                    f"OPTIONAL {{ ?this {p} ?_ok FILTER({ok}) }} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_ok) < {counts[0]})"
                )
                if counts[0] == 1:
                    text = (
                        f"SELECT ?this WHERE {{ {focus_pattern} "
                        f"FILTER NOT EXISTS {{ ?this {p} ?_ok FILTER({ok}) }} }}"
                    )
                add(text, SH.QualifiedMinCountConstraintComponent, "focus")
            if counts[1] is not None:
                text = (
                    f"SELECT ?this WHERE {{ {focus_pattern} ?this {p} ?_ok FILTER({ok}) }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_ok) > {counts[1]})"
                )
                add(text, SH.QualifiedMaxCountConstraintComponent, "focus")
            return []
        ok = check.sparql("?_ok")
        text = (
            f"SELECT ?this (COUNT(DISTINCT ?_ok) AS ?count) "
            f"WHERE {{ {focus_pattern} OPTIONAL {{ ?this {p} ?_ok FILTER({ok}) }} }} GROUP BY ?this"
        )
        extra = None
        if not check.exact:
            extra = (
                f"SELECT DISTINCT ?this ?value WHERE {{ {focus_pattern} ?this {p} ?value "
                f"FILTER(!{check.sparql('?value')}) }}"
            )
        add(
            text,
            SH.QualifiedMinCountConstraintComponent,
            "qualified",
            qualified=counts,
            extra=extra,
            decide=check.decide,
        )
    return []


def _pair_compare(operator: str) -> Callable[[Node, Node], bool]:
    def compare(value: Node, other: Node) -> bool:
        """pySHACL's _compare_ltoe / _compare_lt: True when the pair is a violation."""
        if isinstance(value, BNode) or isinstance(other, BNode):
            raise UnsupportedShapeError("comparing a blank node")
        left: object = value
        right: object = other
        left_string = isinstance(value, URIRef) or (
            isinstance(value, Literal) and isinstance(value.value, str)
        )
        right_string = isinstance(other, URIRef) or (
            isinstance(other, Literal) and isinstance(other.value, str)
        )
        if isinstance(value, URIRef):
            left = str(value)
        elif left_string:
            left = cast(Literal, value).value
        if isinstance(other, URIRef):
            right = str(other)
        elif right_string:
            right = cast(Literal, other).value
        if left_string != right_string:
            return True
        if operator == "<=":
            return not left <= right  # type: ignore[operator]
        return not left < right  # type: ignore[operator]

    return compare


def _sparql_query(
    shapes: Graph,
    shape: Node,
    constraint: Node,
    focus_pattern: str,
    path: URIRef | None,
    severity: URIRef,
    shape_messages: list[str],
) -> list[_Query]:
    select = shapes.value(constraint, SH.select)
    if select is None or (constraint, SH.deactivated, None) in shapes:
        raise UnsupportedShapeError(f"sh:sparql {constraint} without sh:select or deactivated")
    own = [str(m) for m in shapes.objects(constraint, SH.message)]
    if len(own) > 1 or (own and shape_messages):
        raise UnsupportedShapeError("several messages for one SPARQL constraint")
    text = _select_body(str(select))
    if re.search(r"\$PATH\b", text):
        if path is None:
            raise UnsupportedShapeError("$PATH in a node shape's SPARQL constraint")
        text = re.sub(r"\$PATH\b", _iri(path), text)
    # SHACL §5.3.1 pre-binds $this; joining the focus nodes in the query's top group is the same for
    # queries without subqueries or MINUS (checked by _select_body). DISTINCT: pySHACL drops
    # repeated rows.
    match = re.search(r"\bSELECT\b(.*?)\bWHERE\s*\{", text, re.S | re.I)
    if match is None:
        raise UnsupportedShapeError("SPARQL constraint without a WHERE clause")
    projection = match.group(1).strip()
    if projection != "*" and not re.search(r"[$?]this\b", projection):
        raise UnsupportedShapeError("a SPARQL constraint that does not select $this")
    if not projection.upper().startswith("DISTINCT"):
        projection = "DISTINCT " + projection
    rewritten = f"SELECT {projection} WHERE {{ {focus_pattern} " + text[match.end() :]
    prefixes = _prefixes(shapes, constraint)
    return [
        _Query(
            (prefixes + "\n" if prefixes else "") + rewritten,
            shape,
            path,
            SH.SPARQLConstraintComponent,
            own or shape_messages,
            severity,
            "sparql",
        )
    ]


# --------------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------------


def _run(query: _Query, store: ox.Store, union: bool) -> Iterator[Result]:
    solutions = store.query(query.text, use_default_graph_as_union=union)
    if not isinstance(solutions, ox.QuerySolutions):
        raise TypeError("a SELECT query answered with no solutions")
    message = query.messages[0] if query.messages else ""
    bnodes: dict[str, BNode] = {}

    def result(
        focus: OxTerm, value: OxTerm | None, msg: str = message, path: URIRef | None = query.path
    ) -> Result:
        return Result(focus, path, msg, query.severity, query.shape, query.component, value)

    if query.kind == "value":
        cache: dict[OxTerm, bool] = {}
        for row in solutions:
            focus, value = row["this"], row["value"]
            if query.decide is not None:
                ok = cache.get(value)
                if ok is None:
                    ok = cache[value] = query.decide(to_rdflib(value, bnodes))
                if ok:
                    continue
            yield result(focus, value)
    elif query.kind == "focus":
        for row in solutions:
            yield result(row["this"], None)
    elif query.kind == "pair":
        compare = query.compare or _pair_compare("<=")
        for row in solutions:
            if compare(to_rdflib(row["value"], bnodes), to_rdflib(row["other"], bnodes)):
                yield result(row["this"], row["value"])
    elif query.kind == "qualified":
        yield from _qualified(query, solutions, store, union, result)
    elif query.kind == "sparql":
        yield from _sparql_results(query, solutions, result)


def _qualified(
    query: _Query,
    solutions: ox.QuerySolutions,
    store: ox.Store,
    union: bool,
    result: Callable[..., Result],
) -> Iterator[Result]:
    counts = {row["this"]: int(row["count"].value) for row in solutions}
    if query.extra is not None:
        bnodes: dict[str, BNode] = {}
        head = query.text[: query.text.index("SELECT")]
        extra_rows = store.query(head + query.extra, use_default_graph_as_union=union)
        decide = query.decide or (lambda _value: False)
        if not isinstance(extra_rows, ox.QuerySolutions):
            raise TypeError("a SELECT query answered with no solutions")
        for row in extra_rows:
            if decide(to_rdflib(row["value"], bnodes)):
                counts[row["this"]] = counts.get(row["this"], 0) + 1
    low, high = query.qualified
    for focus, conforming in counts.items():
        if low is not None and conforming < low:
            yield replace(result(focus, None), component=SH.QualifiedMinCountConstraintComponent)
        if high is not None and conforming > high:
            yield replace(result(focus, None), component=SH.QualifiedMaxCountConstraintComponent)


def _sparql_results(
    query: _Query, solutions: ox.QuerySolutions, result: Callable[..., Result]
) -> Iterator[Result]:
    bnodes: dict[str, BNode] = {}
    variables = [v.value for v in solutions.variables]
    for row in solutions:
        bound = {name: row[name] for name in variables if row[name] is not None}
        this = bound.pop("this", None)
        path = bound.pop("path", None)
        value = bound.pop("value", None)
        if this is None and path is None and value is None:
            continue
        if path is not None and not isinstance(path, ox.NamedNode):
            raise UnsupportedShapeError("a SPARQL constraint bound ?path to a non-IRI")
        result_path = URIRef(path.value) if path is not None else query.path
        if value is None and query.path is None:
            value = this
        texts = {name: to_rdflib(term, bnodes) for name, term in bound.items()}
        for name, term in (("this", this), ("path", path), ("value", value)):
            if term is not None:
                texts[name] = to_rdflib(term, bnodes)
        message = query.messages[0] if query.messages else ""
        for name, term in texts.items():
            message = message.replace("{?" + name + "}", str(term))
            message = message.replace("{$" + name + "}", str(term))
        if this is None:  # pySHACL then reports the focus node it bound: the join binds it too
            continue
        yield result(this, value, message, result_path)
