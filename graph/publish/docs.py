"""Human-readable ontology documentation, generated from the Turtle with pyLODE.

pyLODE (https://github.com/RDFLib/pyLODE) renders the OntPub profile of an OWL ontology as one
self-contained HTML page (CSS inlined, no scripts). pyLODE takes every SKOS concept scheme for
the ontology too, so the page's title and heading become the ontology's own ``dct:title``.
"""

from __future__ import annotations

import logging
import re
from html import escape
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import DCTERMS, OWL, RDF

from graph import paths
from graph.compile.build import atomic_write


def ontology_html(ontology: Graph) -> str:
    """The documentation page of the ontology graph."""
    from pylode import OntPub

    logging.getLogger().setLevel(max(logging.getLogger().level, logging.WARNING))
    html = str(OntPub(ontology=ontology, sort_subjects=True).make_html(include_css=True))
    title = escape(ontology_title(ontology))
    html = re.sub(
        r"<title>.*?</title>", lambda _: f"<title>{title}</title>", html, count=1, flags=re.S
    )
    return re.sub(r"<h1>.*?</h1>", lambda _: f"<h1>{title}</h1>", html, count=1, flags=re.S)


def ontology_title(ontology: Graph) -> str:
    """The ``dct:title`` of the graph's ``owl:Ontology``."""
    for node in ontology.subjects(RDF.type, OWL.Ontology):
        title = ontology.value(node, DCTERMS.title)
        if title is not None:
            return str(title)
    return "ontology"


def write_ontology_docs(ontology: Graph, out_dir: Path = paths.BUILD_DIR / "docs") -> Path:
    """Write ``ontology.html`` atomically; return its path."""
    target = out_dir / "ontology.html"
    atomic_write(target, ontology_html(ontology))
    return target
