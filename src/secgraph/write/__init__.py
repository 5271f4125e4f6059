"""Writes to a running graph: an edit (SPARQL Update or a Graph Store upload) is applied to a
candidate, the candidate is re-reasoned, validated and checked like a build, and only then journaled
and served (writable).

May import the core, secgraph.sparql, secgraph.store and secgraph.build; never the query runner,
descriptions, the web layer or Flask.
"""
