"""Publish stage: serialisations, the VoID/DCAT description and the ontology's HTML.

May import: graph.namespaces, graph.paths, graph.oxi, graph.compile, graph.query.
"""
