"""Accounts and sessions: signing in with a token, the session cookie, the accounts page.

May import: graph (every stage), service.server (state, settings, deps), service.limits,
service.pages (rendering).
"""
