"""The write path: accounts, submissions, the SHACL gate, review and durable storage.

Partners report what they fund and do; the secretariat reviews; accepted submissions are
published, each in its own named graph, attributed with PROV-O (https://www.w3.org/TR/prov-o/).
State lives in a data directory (``graph.contrib.datadir``).

May import: graph.namespaces, graph.paths, graph.oxi, graph.compile, graph.query, graph.check.
"""
