"""What the graph says about a resource: descriptions, explanations, labels, search, the
ontology's documentation, VoID/DCAT (catalog, links), JSON-LD contexts and frames, example queries.

May import the core, secgraph.sparql, secgraph.store and secgraph.build (its report tables); never
secgraph.query, the web layer or Flask.
"""
