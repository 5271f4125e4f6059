"""SPARQL text and wire without a store: the gate that decides what a client's query may make
the engine do (gate), reading a query's form and dataset clauses without evaluating it (text), and
HTTP exchanges with another SPARQL server (client).

May import the core (secgraph.config, namespaces, terms, refusal, progress) only.
"""
