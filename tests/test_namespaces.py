"""namespaces.py: the only Python module that spells out an IRI."""

from __future__ import annotations

import re
from pathlib import Path

from secgraph import namespaces
from secgraph.namespaces import BASE, GRAPH, ID, INFERRED_GRAPH, ONTOLOGY_GRAPH, PREFIXES, SG

SOURCE = Path(namespaces.__file__).parent
IRI_IN_CODE = re.compile(r"""["'](?:https?|urn):""")


def test_every_namespace_hangs_off_one_base() -> None:
    assert str(SG) == BASE + "ontology#"
    assert str(ID) == BASE + "id/"
    assert str(ONTOLOGY_GRAPH) == str(GRAPH) + "ontology"
    assert str(INFERRED_GRAPH) == str(GRAPH) + "inferred"


def test_prefixes_are_unique_namespaces() -> None:
    assert len(set(PREFIXES.values())) == len(PREFIXES)
    assert PREFIXES["sg"] == str(SG)


def test_shorten_prefers_the_longest_namespace() -> None:
    assert namespaces.shorten(str(ID.guatemala)) == "id:guatemala"
    assert namespaces.shorten(str(GRAPH.members)) == "graph:members"
    assert namespaces.shorten("urn:x:y") == "<urn:x:y>"


def test_no_other_module_spells_an_iri() -> None:
    offenders = [
        f"{path.relative_to(SOURCE)}:{number}"
        for path in sorted(SOURCE.rglob("*.py"))
        if path.name != "namespaces.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if IRI_IN_CODE.search(line)
    ]
    assert offenders == []
