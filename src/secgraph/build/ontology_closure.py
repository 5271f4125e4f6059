"""The OWL 2 RL closure of the ontology alone, computed by owlrl once per ontology content and
cached as N-Triples; never reasons over instance data."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox
from owlrl import DeductiveClosure, OWLRL_Semantics
from rdflib import BNode, Graph, Literal
from rdflib.term import Node

from secgraph import __version__
from secgraph.build.noise import noise_reason
from secgraph.terms import to_oxigraph

# Closures already read or computed by this process, by closure_key: the key covers every input
# (ontology bytes, owlrl and secgraph versions), so a second build of the same ontology in one
# process (tests, benchmarks) neither recomputes nor re-reads it. Bounded: a few ontologies at most.
_SEEN: dict[str, tuple[ox.Triple, ...]] = {}
_SEEN_MAX = 8


class ClosureNotCacheableError(Exception):
    """An inference about a blank node carries information: it cannot be cached by value,
    because the ontology's blank nodes get new identities each time it is parsed."""


def closure_key(ontology_files: Iterable[Path]) -> str:
    """A SHA-256 over the ontology files' bytes and the versions of owlrl and secgraph."""
    digest = hashlib.sha256(f"owlrl {version('owlrl')} secgraph {__version__}".encode())
    for path in sorted(ontology_files):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def compute_closure(ontology: Graph) -> Graph:
    """What owlrl adds to ``ontology`` alone, minus triples about blank nodes (all noise) and
    with literal subjects (noise that N-Triples cannot hold, and no rule reads).

    Raises ClosureNotCacheableError if an inference about a blank node survives the noise filter.
    """
    closure = Graph()
    closure += ontology
    DeductiveClosure(OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(
        closure
    )
    added = Graph()
    for triple in closure:
        if triple in ontology:
            continue
        if isinstance(triple[0], Literal):
            continue
        if any(isinstance(term, BNode) for term in triple):
            if noise_reason(triple) is None:
                raise ClosureNotCacheableError(f"inference about a blank node: {triple}")
            continue
        added.add(triple)
    return added


def ontology_closure(
    ontology: Graph | Callable[[], Graph], cache_dir: Path | None, key: str
) -> list[ox.Triple]:
    """The triples owlrl adds to ``ontology`` (see compute_closure), read from
    ``cache_dir/ontology-closure-<key>.nt`` when present, else computed and written there.

    ``key`` must be closure_key of the files ``ontology`` was parsed from: this process also
    remembers the closure by that key and hands it out again without looking at ``ontology``.
    ``ontology`` may be a function making the graph: it is called only when computing.
    """
    cached = None if cache_dir is None else cache_dir / f"ontology-closure-{key}.nt"
    added = _SEEN.get(key)
    if added is None and cached is not None and cached.is_file():
        added = tuple(quad.triple for quad in ox.parse(path=cached, format=ox.RdfFormat.N_TRIPLES))
    if added is None:
        # The ontology as an rdflib Graph is made only here, when the closure must be computed.
        graph = ontology if isinstance(ontology, Graph) else ontology()
        added = tuple(_to_oxigraph(triple) for triple in compute_closure(graph))
    if cached is not None and not cached.is_file():
        _write_atomically(cached, list(added))
    if len(_SEEN) >= _SEEN_MAX:
        _SEEN.pop(next(iter(_SEEN)))
    _SEEN[key] = added
    return list(added)


def _to_oxigraph(triple: tuple[Node, Node, Node]) -> ox.Triple:
    subject, predicate, obj = (to_oxigraph(term, {}) for term in triple)
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
        raise ValueError(f"not a valid RDF triple: {triple}")
    return ox.Triple(subject, predicate, obj)


def _write_atomically(path: Path, triples: list[ox.Triple]) -> None:
    # Write beside the target, then rename: a concurrent build never reads half a file.
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".closure-", suffix=".nt")
    with os.fdopen(handle, "wb") as output:
        ox.serialize(triples, output, format=ox.RdfFormat.N_TRIPLES)
    Path(temporary).replace(path)
