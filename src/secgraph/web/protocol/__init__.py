"""The HTTP protocol routes and their helpers: SPARQL 1.1 query (sparql, execution) and update,
the Graph Store Protocol (graphs, graph_store), dumps, VoID, JSON-LD context and frames, health and
metrics; content negotiation, errors, limits, caching, CORS and auth.

May import any package below the web layer and Flask; never secgraph.web.pages or secgraph.web
itself (the app factory).
"""
