"""Cache and limits: answers kept per revision, bodies capped, token buckets, untrusted bodies.

Whole answers are kept per revision with ETags; bodies are capped and timed; each client has
token buckets; untrusted bodies go to the intake workers before anyone reads them.

May import: graph (every stage), service.sandbox, service.server's settings and state.
"""
