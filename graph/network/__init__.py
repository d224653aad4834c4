"""Network stage: the graph as networkx networks, metrics, layouts, exports and figures.

May import: graph.namespaces, graph.paths, graph.oxi, graph.compile, graph.query.
"""
