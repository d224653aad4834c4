"""The seed report as a document (DoCO), each of its passages placed in the part that holds it.

Sections, paragraphs, tables, rows and cells are read from the curated
``graph/source/structure.yaml`` (the headings and table captions as they stand in the text) over
the exact text file; each part carries a Web Annotation position selector
over that file (code points, as the passages' do), its text (``rdf:value``, the report's
characters) and ``dct:isPartOf`` its parent, up to the report. Classes from DoCO, the Document
Components Ontology (http://purl.org/spar/doco/): ``doco:FrontMatter``, ``doco:Section``,
``doco:Paragraph``, ``doco:Table``; a table's rows and cells are ``gmp:TableRow`` and
``gmp:TableCell`` (DoCO has no row or cell). Every passage of the report is ``dct:isPartOf`` its
cell, row, paragraph or section, so "what does section S say" is one pattern:
``?p dct:isPartOf+ section:next-steps-asgm``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from graph import paths
from graph.compile.passages import REPORT, REPORT_TEXT, SourceText
from graph.compile.rendering import report_chars
from graph.compile.triples import Triples
from graph.namespaces import DOCO, GMP, GMPD, OA, SCHEMA

STRUCTURE = paths.SOURCE_STRUCTURE
"""The curated structure of the seed report."""
_BLANK = re.compile(r"\n[ \t]*\n")


class StructureError(ValueError):
    """The curated structure does not fit the text (a heading not found, a row count wrong)."""


@dataclass
class Part:
    """One part of the document: its node, kind, span and text; what it holds."""

    iri: URIRef
    kind: URIRef
    start: int
    end: int
    label: str
    text: str = ""
    pieces: list[tuple[int, int]] = field(default_factory=list)
    """For a cell continued over lines: the spans of its pieces (a passage lies in one)."""

    def holds(self, start: int, end: int) -> bool:
        """Whether the span ``start``-``end`` lies within this part (within one piece, if any)."""
        spans = self.pieces or [(self.start, self.end)]
        return any(a <= start and end <= b for a, b in spans)


class Document:
    """The parts of the report, built from the curated structure over the text."""

    def __init__(self, text: str, spec: dict[str, Any]) -> None:
        self.text = text
        self.parts: list[Part] = []
        self.out = Triples()
        self._lines = self._line_starts()
        heads = self._headings(spec.get("sections", []), 0, [])
        first = heads[0][1] if heads else len(text)
        front = self._part("section/front", DOCO.FrontMatter, 0, first, str(spec["front"]))
        self.out.add(front.iri, DCTERMS.isPartOf, REPORT)
        self._paragraphs(front, [(0, first)])
        self._sections(spec.get("sections", []), REPORT, len(text), heads)

    # ---- locating
    def _line_starts(self) -> dict[str, list[int]]:
        starts: dict[str, list[int]] = {}
        for at, line in self._lines_between(0, len(self.text)):
            starts.setdefault(line, []).append(at)
        return starts

    def _line(self, line: str, after: int) -> int:
        found = [s for s in self._lines.get(line, []) if s >= after]
        if not found:
            raise StructureError(f"{STRUCTURE.name}: no line {line!r} after offset {after}")
        return found[0]

    def _headings(
        self, specs: list[dict[str, Any]], after: int, out: list[tuple[dict[str, Any], int]]
    ) -> list[tuple[dict[str, Any], int]]:
        """Every heading in reading order with its offset, each found after the one before."""
        for spec in specs:
            at = self._line(spec["heading"], after)
            out.append((spec, at))
            after = at + 1
            self._headings(spec.get("sections", []), after, out)
            after = out[-1][1] + 1
        return out

    # ---- building
    def _part(
        self, path: str, kind: URIRef, start: int, end: int, label: str, text: str = ""
    ) -> Part:
        part = Part(GMPD[path], kind, start, end, label, text)
        self.parts.append(part)
        node, selector = part.iri, URIRef(f"{part.iri}#position")
        self.out.add(node, RDF.type, kind)
        self.out.add(node, SKOS.prefLabel, Literal(report_chars(label), lang="en"))
        self.out.add(node, OA.hasSelector, selector)
        self.out.add(node, OA.hasSource, REPORT_TEXT)
        self.out.add(selector, RDF.type, OA.TextPositionSelector)
        self.out.add(selector, OA.start, Literal(start, datatype=XSD.nonNegativeInteger))
        self.out.add(selector, OA.end, Literal(end, datatype=XSD.nonNegativeInteger))
        if text:
            self.out.add(node, RDF.value, Literal(report_chars(text)))
        return part

    def _sections(
        self,
        specs: list[dict[str, Any]],
        parent: URIRef,
        limit: int,
        heads: list[tuple[dict[str, Any], int]],
    ) -> None:
        offsets = {id(spec): at for spec, at in heads}
        for i, spec in enumerate(specs):
            start = offsets[id(spec)]
            end = offsets[id(specs[i + 1])] if i + 1 < len(specs) else limit
            end = len(self.text[:end].rstrip())
            title = spec["heading"].rstrip(":")
            part = self._part(f"section/{spec['id']}", DOCO.Section, start, end, title)
            self.out.add(part.iri, DCTERMS.isPartOf, parent)
            self.out.add(part.iri, DCTERMS.title, Literal(report_chars(title), lang="en"))
            self.out.add(part.iri, SCHEMA.position, Literal(i + 1, datatype=XSD.integer))
            if spec.get("number"):
                self.out.add(part.iri, GMP.ordinal, Literal(str(spec["number"])))
            if spec.get("area"):
                self.out.add(part.iri, DCTERMS.subject, GMPD[spec["area"]])
            body = start + len(spec["heading"]) + 1
            children = spec.get("sections", [])
            own_end = offsets[id(children[0])] if children else end
            tables = spec.get("tables", [])
            if tables:
                first = self._line(tables[0]["caption"], body)
                self._paragraphs(part, [(body, first)])
                for t in tables:
                    self._table(t, part, self._line(t["caption"], body), own_end)
            else:
                self._paragraphs(part, [(body, own_end)])
            self._sections(children, part.iri, end, heads)

    def _paragraphs(self, section: Part, spans: list[tuple[int, int]]) -> None:
        n = 0
        for a, b in spans:
            chunk = self.text[a:b]
            at = 0
            for block in _BLANK.split(chunk):
                offset = chunk.index(block, at)
                at = offset + len(block)
                stripped = block.strip()
                if not stripped:
                    continue
                start = a + offset + (len(block) - len(block.lstrip()))
                n += 1
                label = f"{section.label}, paragraph {n}"
                node = f"{section.iri.removeprefix(str(GMPD))}/paragraph-{n}"
                part = self._part(
                    node, DOCO.Paragraph, start, start + len(stripped), label, stripped
                )
                self.out.add(part.iri, DCTERMS.isPartOf, section.iri)
                self.out.add(part.iri, SCHEMA.position, Literal(n, datatype=XSD.integer))

    def _table(self, spec: dict[str, Any], section: Part, start: int, end: int) -> None:
        caption = spec["caption"]
        table = self._part(f"table/{spec['id']}", DOCO.Table, start, end, caption)
        self.out.add(table.iri, DCTERMS.isPartOf, section.iri)
        self.out.add(table.iri, DCTERMS.title, Literal(report_chars(caption), lang="en"))
        if spec.get("number"):
            self.out.add(table.iri, GMP.ordinal, Literal(str(spec["number"])))
        lines = self._lines_between(start + len(caption) + 1, end)
        lines = [(a, line) for a, line in lines if line.strip()]
        header = [c.strip() for c in lines[0][1].split("\t")]
        continued = set(spec.get("continued", []))
        rows: list[list[tuple[int, str]]] = []
        for a, line in lines[1:]:
            if rows and (line.startswith("\t") or line.startswith(tuple(continued))):
                rows[-1].append((a, line))
            else:
                rows.append([(a, line)])
        if len(rows) != spec["rows"]:
            raise StructureError(
                f"{STRUCTURE.name}: {caption!r} has {len(rows)} rows in the text, "
                f"{spec['rows']} said"
            )
        for r, row in enumerate(rows, 1):
            self._row(table, header, r, row)

    def _lines_between(self, start: int, end: int) -> list[tuple[int, str]]:
        out = []
        at = start
        for line in self.text[start:end].split("\n"):
            out.append((at, line))
            at += len(line) + 1
        return out

    def _row(self, table: Part, header: list[str], r: int, lines: list[tuple[int, str]]) -> None:
        start, end = lines[0][0], lines[-1][0] + len(lines[-1][1])
        pieces: dict[int, list[tuple[int, int]]] = {}
        for a, line in lines:
            at = a
            for k, segment in enumerate(line.split("\t")):
                if segment.strip():
                    lead = len(segment) - len(segment.lstrip())
                    s = at + lead
                    pieces.setdefault(min(k, len(header) - 1), []).append(
                        (s, s + len(segment.strip()))
                    )
                at += len(segment) + 1
        first = pieces.get(0, [(start, start)])[0]
        name = re.sub(r"<[^>]+>", "", self.text[first[0] : first[1]]).strip()
        base = f"{table.iri.removeprefix(str(GMPD))}/row-{r}"
        row = self._part(base, GMP.TableRow, start, end, f"{table.label}, row {r}: {name}")
        self.out.add(row.iri, DCTERMS.isPartOf, table.iri)
        self.out.add(row.iri, SCHEMA.position, Literal(r, datatype=XSD.integer))
        for k, spans in sorted(pieces.items()):
            text = " ".join(self.text[a:b] for a, b in spans)
            label = f"{table.label}, row {r}, {header[k] if k < len(header) else k + 1}"
            cell = self._part(
                f"{base}/cell-{k + 1}", GMP.TableCell, spans[0][0], spans[-1][1], label, text
            )
            cell.pieces = spans
            self.out.add(cell.iri, DCTERMS.isPartOf, row.iri)
            self.out.add(cell.iri, SCHEMA.position, Literal(k + 1, datatype=XSD.integer))
            if k < len(header):
                self.out.add(cell.iri, GMP.column, Literal(report_chars(header[k]), lang="en"))

    def place(self, start: int, end: int) -> URIRef | None:
        """The smallest part that holds the span (a cell, a row, a paragraph, a section)."""
        holding = [p for p in self.parts if p.holds(start, end)]
        if not holding:
            return None
        return min(holding, key=lambda p: p.end - p.start).iri


def document_structure(source: SourceText, provenance: Triples, path: Path = STRUCTURE) -> Triples:
    """The report's parts, and each of the report's passages placed in the smallest part."""
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc = Document(source.text, spec)
    positions: dict[URIRef, dict[str, int]] = {}
    for s, p, o in provenance:
        if p in (OA.start, OA.end) and isinstance(s, URIRef):
            positions.setdefault(s, {})[str(p)] = int(str(o))
    for s, p, o in provenance:
        if p == PROV.wasQuotedFrom and o == REPORT and isinstance(s, URIRef):
            at = positions.get(URIRef(f"{s}#position"), {})
            if str(OA.start) in at and str(OA.end) in at:
                where = doc.place(at[str(OA.start)], at[str(OA.end)])
                if where is not None:
                    doc.out.add(s, DCTERMS.isPartOf, where)
    return doc.out


def describe(out: Triples, graph: URIRef) -> None:
    """Say where the structure graph comes from."""
    out.add(graph, RDF.type, PROV.Entity)
    out.add(
        graph,
        RDFS.label,
        Literal("The report's sections, paragraphs, tables, rows and cells (DoCO)", lang="en"),
    )
    out.add(graph, DCTERMS.source, Literal("graph/source/structure.yaml"))
    out.add(graph, PROV.wasDerivedFrom, REPORT)
