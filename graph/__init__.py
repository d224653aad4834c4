"""mercury-kg graph: compile the report's data to RDF, query, check, project as networks, publish.

Stages are subpackages, each importing only those below: compile < query < check, network, publish.
"""
