"""The API: SPARQL 1.1 Protocol, named queries, submissions and validation, the Atom feed.

Content negotiation and the serialisations of results live here too.

May import: graph (every stage), service.sandbox, service.server (state, settings, deps),
service.limits, service.accounts, service.pages (an HTML answer where a browser asks).
"""
