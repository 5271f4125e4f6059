"""Deterministic synthetic data in secgraph's ontology: seeded replicas of the shipped sources.

Each replica copies every shipped source graph under new names: source documents, events,
agreements, funding records, fact nodes and their quoted citations get replica IRIs and labels,
so everything the shapes and quality checks ask of the originals holds for the copies. The
countries stay shared, so their fan-out grows with the scale: replica k refers to them through a
seeded permutation (a bijection, so the structure of every graph is kept), and literal facts about
a country stay with that country. The links graph is neither permuted nor copied: each replica
adds its links to graph:links itself (a country keeps its own Wikidata item, codes and their
confirmations; a confirmed name is renamed with the node it names), as it is not one source's
graph. Scale 1 is about 3.3k data triples: scale 3, 30 and 300 give
about 10k, 100k and 1M asserted triples.

    python bench/generate.py --scale 30 --seed 1 --out var/bench/data-30
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/secgraph/"
ID, GRAPH = BASE + "id/", BASE + "graph/"
COUNTRY = ox.NamedNode(BASE + "ontology#Country")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDF_SUBJECT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")
RDF_PREDICATE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate")
RDF_OBJECT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#object")
LINKS_GRAPH = GRAPH + "links"
NAMES = frozenset(
    (
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://purl.org/dc/terms/title",
        "http://www.w3.org/2004/02/skos/core#altLabel",
    )
)
OutTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def read_sources(data_dir: Path) -> list[ox.Quad]:
    """Every quad of the shipped data files, in file order."""
    quads: list[ox.Quad] = []
    for path in sorted(data_dir.glob("*.trig")):
        quads.extend(ox.parse(path=path, format=ox.RdfFormat.TRIG))
    return quads


class Replica:
    """Renames one copy of the sources: replica nodes, graphs, blank nodes and countries."""

    def __init__(
        self,
        number: int,
        defined: set[str],
        countries: list[str],
        seed: int,
        renamed_objects: frozenset[str] = frozenset(),
    ) -> None:
        self.suffix = f"-r{number}"
        self.defined = defined
        self.renamed_objects = renamed_objects
        """Reifications (blank node ids) whose rdf:object is a name of a renamed node."""
        self.blank_nodes: dict[str, str] = {}
        shuffled = countries[:]
        # Reproducible benchmark data, not secrets: a seeded PRNG is what is wanted here.
        random.Random(f"{seed}/{number}").shuffle(shuffled)  # noqa: S311
        self.countries = dict(zip(countries, shuffled, strict=True))

    def node(self, term: OutTerm, *, keep_country: bool = False) -> OutTerm:
        if isinstance(term, ox.BlankNode):
            # Parsing names blank nodes at random; number them in reading order instead.
            label = self.blank_nodes.setdefault(term.value, f"b{len(self.blank_nodes)}")
            return ox.BlankNode(label + self.suffix.replace("-", "_"))
        if not isinstance(term, ox.NamedNode):
            return term
        if term.value in self.countries:
            return term if keep_country else ox.NamedNode(self.countries[term.value])
        if term.value == LINKS_GRAPH:
            return term
        if term.value.startswith(GRAPH) or term.value in self.defined:
            return ox.NamedNode(term.value + self.suffix)
        return term

    def quad(self, quad: ox.Quad) -> ox.Quad:
        subject, predicate, obj = quad.subject, quad.predicate, quad.object
        links = quad.graph_name.value == LINKS_GRAPH  # identifiers stay with their country
        if isinstance(obj, ox.Literal):
            keep = subject.value in self.countries  # literal facts stay with their country
            confirmed_name = predicate == RDF_OBJECT and subject.value in self.renamed_objects
            if (predicate.value in NAMES and not keep) or confirmed_name:
                obj = self.name(obj)
            subject = self.node(subject, keep_country=keep)  # type: ignore[assignment]
        else:
            subject = self.node(subject, keep_country=links)  # type: ignore[assignment]
            obj = self.node(obj, keep_country=links)  # type: ignore[assignment]
        return ox.Quad(subject, predicate, obj, self.node(quad.graph_name))  # type: ignore[arg-type]

    def name(self, literal: ox.Literal) -> ox.Literal:
        """A label or title of a replica node, marked with the replica (labels stay unique)."""
        text = f"{literal.value} ({self.suffix[1:]})"
        if literal.language:
            return ox.Literal(text, language=literal.language)
        return ox.Literal(text, datatype=literal.datatype)


def generate(sources: list[ox.Quad], scale: int, seed: int) -> Iterator[ox.Quad]:
    """Yield ``scale`` replicas of ``sources`` (see the module docstring)."""
    typed = (q for q in sources if q.predicate == RDF_TYPE and q.object == COUNTRY)
    countries = sorted({q.subject.value for q in typed})
    defined = {
        q.subject.value
        for q in sources
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(ID)
    } - set(countries)
    about_names = {
        q.subject.value for q in sources if q.predicate == RDF_PREDICATE and q.object.value in NAMES
    }
    about_countries = {
        q.subject.value
        for q in sources
        if q.predicate == RDF_SUBJECT and q.object.value in countries
    }
    renamed = frozenset(about_names - about_countries)
    for number in range(1, scale + 1):
        replica = Replica(number, defined, countries, seed, renamed)
        for quad in sources:
            yield replica.quad(quad)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=3, help="replicas of the shipped data")
    parser.add_argument("--seed", type=int, default=1, help="seed of the country permutations")
    parser.add_argument("--out", type=Path, required=True, help="directory to write data.trig to")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data", help="sources to copy")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / "data.trig"
    quads = list(generate(read_sources(args.data_dir), args.scale, args.seed))
    ox.serialize(quads, target, format=ox.RdfFormat.TRIG)
    print(f"wrote {target}: {len(quads)} quads (scale {args.scale}, seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
