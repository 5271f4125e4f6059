"""build/report.py: results render as aligned text and Markdown without computing anything."""

from __future__ import annotations

import pyoxigraph as ox

from secgraph.build.report import render_settings, render_solutions, render_table
from secgraph.config import OptionDoc
from secgraph.namespaces import ID, shorten


def test_table_columns_align_under_their_header() -> None:
    table = render_table(("graph", "triples"), [("graph:ontology", "47"), ("graph:inferred", "15")])
    assert table == "graph           triples\ngraph:ontology  47\ngraph:inferred  15\n"


def test_solutions_shorten_iris_and_leave_unbound_cells_empty() -> None:
    store = ox.Store()
    query = "SELECT ?x ?label ?none WHERE { BIND('Belize' AS ?label) }"
    solutions = store.query(query, substitutions={ox.Variable("x"): ox.NamedNode(ID.belize)})
    assert isinstance(solutions, ox.QuerySolutions)
    assert render_solutions(solutions, shorten).splitlines() == [
        "x          label     none",
        'id:belize  "Belize"',
    ]


def test_settings_table_escapes_markdown() -> None:
    doc = OptionDoc("data_dir", "SECGRAPH_DATA_DIR", "data", "Files *.trig | *.ttl.")
    assert render_settings([doc]).splitlines()[-1] == (
        r"| `--data-dir` | `SECGRAPH_DATA_DIR` | data | Files \*.trig \| \*.ttl. |"
    )
