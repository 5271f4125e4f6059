"""The build: load -> reason -> validate -> checks, orchestrated by pipeline.build(settings), and
the text rendering of its reports (report).

May import the core, secgraph.sparql and secgraph.store (a build ends in a store); never the write
path, the query runner, descriptions, the web layer or Flask.
"""
