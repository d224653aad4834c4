"""Check stage: SHACL validation, quality checks and their reports.

May import: graph.namespaces, graph.paths, graph.oxi, graph.compile, graph.query.
"""
