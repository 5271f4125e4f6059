"""Running a client's query where it can be stopped (runner, process), answering it in a format
(answer, results), and SERVICE made safe (federation).

May import the core, secgraph.sparql, secgraph.store and secgraph.write (the runner serves the
writable store); never secgraph.describe, the web layer or Flask.
"""
