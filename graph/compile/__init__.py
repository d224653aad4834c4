"""Compile stage: the curated YAML and the report's text become an RDF dataset with provenance.

May import: graph.namespaces, graph.paths, graph.oxi.
"""
