"""mercury-kg interfaces: the command line (cli/), the web service, the sandbox/ it runs work in.

May import: graph (every stage); the web app imports cli/ never, the sandbox never the web app.
"""
