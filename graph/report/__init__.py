"""Report stage: the progress report written from one revision of the graph.

Every figure and table cell of the report is a ``Figure`` that names the named query which
produced it and the passages (of the seed report or of an accepted submission) it rests on; the
report renders as HTML, Markdown or PDF and can be compared with another edition.

May import: graph.namespaces, graph.paths, graph.oxi, graph.compile, graph.query, graph.network.
"""
