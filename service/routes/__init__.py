"""HTTP routes of the mercury-kg service, one module per concern."""
