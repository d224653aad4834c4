"""HTTP routes of the mercury-kg service, one module per concern (SPARQL, queries, pages, ...).

May import: graph (every stage), service.sandbox and the web app's support modules (deps, state).
"""
