"""mercury-kg interfaces: the command line and (later) the web service."""
