"""Query stage: named queries, the embedded Oxigraph engine, remote endpoints, results formats.

May import: graph.namespaces, graph.paths, graph.oxi, graph.compile.
"""
