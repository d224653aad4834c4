"""The pages: home, search, resources, dataset, network, report, the forms, the review queue.

Their rendering (Jinja2), where IRIs link, and results as HTML tables live here too.

May import: graph (every stage), service.sandbox, service.server (state, settings, deps),
service.limits, service.accounts (sessions), service.api (negotiation, answers).
"""
