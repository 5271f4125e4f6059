"""The HTML pages, each with a JSON twin (twins): home, search, query, views, resources, and the
arrangement of what they show (pages, citing, documents, terms, charts, view_data); templates/ and
static/ live here.

May import secgraph.web.protocol and any package below the web layer; never secgraph.web itself.
"""
