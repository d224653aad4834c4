"""mercury-kg graph: compile the curated report data into an RDF dataset, check it, export it."""
