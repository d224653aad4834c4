r"""Provenance: every fact points at the verbatim passage of the report it comes from.

A passage is a Web Annotation ``oa:SpecificResource`` over the exact text file, with an
``oa:TextQuoteSelector`` (exact, prefix, suffix) and an ``oa:TextPositionSelector`` (start, end,
counted in Unicode code points, i.e. Python ``str`` indices). The text file is described with its
SHA-256 so the offsets mean something. The quote selector carries the report's characters, not
the stored rendering's (``\$``, ``<p>``: see graph.compile.rendering). Web Annotation: https://www.w3.org/TR/annotation-model/#text-quote-selector
PROV-O: https://www.w3.org/TR/prov-o/#wasQuotedFrom
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from graph.compile.rendering import context, report_chars
from graph.compile.triples import Triples
from graph.namespaces import GMP, GMPD, OA, SPDX

CONTEXT = 32
"""Characters of prefix and suffix kept in each quote selector."""

REPORT = GMPD["report/gmp-progress-2010-2012"]
"""The report as a work."""
REPORT_TEXT = GMPD["report/gmp-progress-2010-2012/text"]
"""The exact plain-text file that every offset refers to."""


@dataclass(frozen=True)
class Passage:
    """A located quote."""

    start: int
    end: int
    exact: str
    base: str = "passage/"
    """Where the source's passages are named under ``gmpd:`` (the report's: ``passage/``)."""

    @property
    def iri(self) -> URIRef:
        """Passages are named by their offsets, so one quote cited twice is one node."""
        return GMPD[f"{self.base}{self.start}-{self.end}"]


class SourceText:
    """A source's text, with quote lookup: the report's, or a submission's (``text``)."""

    def __init__(
        self,
        path: Path,
        *,
        text: str | None = None,
        work: URIRef = REPORT,
        text_node: URIRef = REPORT_TEXT,
        passages: str = "passage/",
    ) -> None:
        self.path = path
        self.text = path.read_text(encoding="utf-8") if text is None else text
        raw = path.read_bytes() if text is None else text.encode("utf-8")
        self.sha256 = hashlib.sha256(raw).hexdigest()
        self.work = work
        self.text_node = text_node
        self.passages = passages

    @property
    def name(self) -> str:
        """How messages name the source."""
        return "the report" if self.work == REPORT else "the submitted text"

    def locate(self, quote: str, at: int | None = None) -> Passage:
        """Find a quote verbatim; ``at`` (a start offset) picks one of several occurrences.

        Raises:
            ValueError: the quote is absent, ambiguous without ``at``, or not at ``at``.
        """
        if not quote.strip():
            raise ValueError("empty quote")
        if len(quote) > len(self.text):
            raise ValueError(f"quote longer than {self.name}: {quote[:60]!r}")
        if at is not None:
            if self.text[at : at + len(quote)] != quote:
                raise ValueError(f"quote not found at offset {at}: {quote[:60]!r}")
            return Passage(at, at + len(quote), quote, self.passages)
        hits: list[int] = []
        pos = self.text.find(quote)
        while pos != -1 and len(hits) < 5:
            hits.append(pos)
            pos = self.text.find(quote, pos + 1)
        if not hits:
            raise ValueError(f"quote not found verbatim in {self.name}: {quote[:80]!r}")
        if len(hits) > 1:
            raise ValueError(
                f"quote occurs {len(hits)} times (offsets {hits}); add 'at: <offset>' to pick one: "
                f"{quote[:60]!r}"
            )
        return Passage(hits[0], hits[0] + len(quote), quote, self.passages)

    def add_passage(self, out: Triples, passage: Passage) -> URIRef:
        """Write the passage node with its two selectors; return its IRI."""
        node = passage.iri
        quote_sel = URIRef(f"{node}#quote")
        pos_sel = URIRef(f"{node}#position")
        out.add(node, RDF.type, GMP.Passage)
        out.add(node, RDF.type, OA.SpecificResource)
        out.add(node, RDF.type, PROV.Entity)
        exact = report_chars(passage.exact)
        label = exact if len(exact) <= 80 else exact[:77] + "..."
        out.add(node, RDFS.label, Literal(label))
        out.add(node, OA.hasSource, self.text_node)
        out.add(node, PROV.wasQuotedFrom, self.work)
        out.add(node, OA.hasSelector, quote_sel)
        out.add(node, OA.hasSelector, pos_sel)
        out.add(quote_sel, RDF.type, OA.TextQuoteSelector)
        out.add(quote_sel, OA.exact, Literal(exact))
        prefix, suffix = context(self.text, passage.start, passage.end, CONTEXT)
        out.add(quote_sel, OA.prefix, Literal(prefix))
        out.add(quote_sel, OA.suffix, Literal(suffix))
        out.add(pos_sel, RDF.type, OA.TextPositionSelector)
        out.add(pos_sel, OA.start, Literal(passage.start, datatype=XSD.nonNegativeInteger))
        out.add(pos_sel, OA.end, Literal(passage.end, datatype=XSD.nonNegativeInteger))
        return node

    def describe(self, out: Triples) -> None:
        """Describe the text (checksum, length, unit of the offsets) as a rendering of its work."""
        node = self.text_node
        report = self.work == REPORT
        label = "Plain-text rendering of the report" if report else "The submitted text"
        out.add(node, RDF.type, PROV.Entity)
        out.add(node, RDFS.label, Literal(label, lang="en"))
        out.add(node, PROV.specializationOf, self.work)
        out.add(node, DCTERMS.format, Literal("text/plain; charset=utf-8"))
        if report:
            out.add(node, DCTERMS.identifier, Literal(f"graph/source/{self.path.name}"))
        out.add(node, GMP.textLength, Literal(len(self.text), datatype=XSD.integer))
        checksum = URIRef(f"{node}#sha256")
        out.add(node, SPDX.checksum, checksum)
        out.add(checksum, RDF.type, SPDX.Checksum)
        out.add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
        out.add(checksum, SPDX.checksumValue, Literal(self.sha256, datatype=XSD.hexBinary))
