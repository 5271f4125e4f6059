"""The store interface and its implementations: embedded (pyoxigraph, in memory or on disk), remote
(another server's SPARQL endpoint), how a query is handed to the engine (evaluation), and
publishing a built dataset to a SPARQL server (publish).

May import the core and secgraph.sparql; never the build, the write path, the query runner or Flask.
"""
