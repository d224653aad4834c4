"""Human-readable ontology documentation, generated from the Turtle with pyLODE.

pyLODE (https://github.com/RDFLib/pyLODE) renders the OntPub profile of an OWL ontology as one
self-contained HTML page (CSS inlined, no scripts). pyLODE would take every SKOS concept scheme
for the ontology too (its IRI shown as the ontology's, its label as one more title): it is given
the ontology without the schemes' typing and without a second title, and the concept schemes
with their concepts follow as a section of their own, so that every term is on the page.
"""

from __future__ import annotations

import logging
import re
from html import escape
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import DCTERMS, OWL, QB, RDF, RDFS, SKOS

from graph import paths
from graph.compile.build import atomic_write


def ontology_html(ontology: Graph) -> str:
    """The documentation page of the ontology graph."""
    from pylode import OntPub

    logging.getLogger().setLevel(max(logging.getLogger().level, logging.WARNING))
    html = str(
        OntPub(ontology=_for_pylode(ontology), sort_subjects=True).make_html(include_css=True)
    )
    title = escape(ontology_title(ontology))
    html = re.sub(
        r"<title>.*?</title>", lambda _: f"<title>{title}</title>", html, count=1, flags=re.S
    )
    html = re.sub(r"<h1>.*?</h1>", lambda _: f"<h1>{title}</h1>", html, count=1, flags=re.S)
    return html.replace("</body>", _schemes(ontology) + _structures(ontology) + "</body>", 1)


def _for_pylode(ontology: Graph) -> Graph:
    """The ontology without the concept schemes' typing and the ontology's second title."""
    heads = set(ontology.subjects(RDF.type, OWL.Ontology))
    out = Graph()
    for prefix, namespace in ontology.namespaces():
        out.bind(prefix, namespace)
    for s, p, o in ontology:
        if p == RDF.type and o == SKOS.ConceptScheme:
            continue
        if s in heads and p in (RDFS.label, SKOS.prefLabel):
            continue
        out.add((s, p, o))
    return out


def _schemes(ontology: Graph) -> str:
    """The concept schemes and their concepts, as a section of the page."""
    parts = ['<section id="schemes"><h2>Concept schemes</h2>']
    for scheme in sorted(set(ontology.subjects(RDF.type, SKOS.ConceptScheme)), key=str):
        label = ontology.value(scheme, RDFS.label) or ontology.value(scheme, SKOS.prefLabel)
        parts.append(
            f'<h3 id="{escape(_local(scheme))}">{escape(str(label or _local(scheme)))}</h3>'
        )
        parts.append(f"<p><code>{escape(str(scheme))}</code></p><dl>")
        for concept in sorted(set(ontology.subjects(SKOS.inScheme, scheme)), key=str):
            name = ontology.value(concept, SKOS.prefLabel) or ontology.value(concept, RDFS.label)
            said = ontology.value(concept, SKOS.definition) or ontology.value(concept, RDFS.comment)
            parts.append(
                f'<dt id="{escape(_local(concept))}">{escape(str(name or _local(concept)))} '
                f"<code>gmp:{escape(_local(concept))}</code></dt>"
                f"<dd>{escape(str(said or ''))}</dd>"
            )
        parts.append("</dl>")
    return "".join(parts) + "</section>"


def _structures(ontology: Graph) -> str:
    """The RDF Data Cube structure definitions and their components, as a section of the page."""
    parts = ['<section id="structures"><h2>Data structure definitions (RDF Data Cube)</h2>']
    for dsd in sorted(set(ontology.subjects(RDF.type, QB.DataStructureDefinition)), key=str):
        label = ontology.value(dsd, RDFS.label) or _local(dsd)
        parts.append(f'<h3 id="{escape(_local(dsd))}">{escape(str(label))}</h3><ol>')
        components = sorted(
            ontology.objects(dsd, QB.component), key=lambda c: str(ontology.value(c, QB.order))
        )
        for c in components:
            role, prop = next(
                (
                    (word, ontology.value(c, p))
                    for word, p in (("dimension", QB.dimension), ("measure", QB.measure))
                    if ontology.value(c, p) is not None
                ),
                ("component", None),
            )
            parts.append(
                f'<li id="{escape(_local(c))}"><code>gmp:{escape(_local(c))}</code>: {role} '
                f"<code>gmp:{escape(_local(prop))}</code></li>"
            )
        parts.append("</ol>")
    return "".join(parts) + "</section>"


def _local(node: object) -> str:
    return str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


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
