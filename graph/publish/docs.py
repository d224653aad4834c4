"""Human-readable ontology documentation, generated from the Turtle with pyLODE.

pyLODE (https://github.com/RDFLib/pyLODE) renders the OntPub profile of an OWL ontology as one
self-contained HTML page (CSS inlined, no scripts).
"""

from __future__ import annotations

import logging
from pathlib import Path

from rdflib import Graph

from graph import paths
from graph.compile.build import atomic_write


def ontology_html(ontology: Graph) -> str:
    """The documentation page of the ontology graph."""
    from pylode import OntPub

    logging.getLogger().setLevel(max(logging.getLogger().level, logging.WARNING))
    return str(OntPub(ontology=ontology, sort_subjects=True).make_html(include_css=True))


def write_ontology_docs(ontology: Graph, out_dir: Path = paths.BUILD_DIR / "docs") -> Path:
    """Write ``ontology.html`` atomically; return its path."""
    target = out_dir / "ontology.html"
    atomic_write(target, ontology_html(ontology))
    return target
