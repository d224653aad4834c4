"""The ``mercury-kg`` command line: one module per subcommand that needs more than a few lines.

May import: graph (every stage) and service modules below the web app (settings, server).
"""
