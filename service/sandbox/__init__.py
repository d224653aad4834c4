"""Where untrusted work runs: the query screen, network-less worker processes, their pools.

May import: graph (every stage), service.server.settings, service.pages.netviews; never the web app.
"""
