"""Query results as rows of RDF terms, and their W3C serialisations.

Formats: SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/), CSV and
TSV (https://www.w3.org/TR/sparql11-results-csv-tsv/), and a terminal table that shows labels
instead of bare IRIs. A result from the embedded engine keeps Oxigraph's own terms and is
serialised from them directly; rdflib terms are made only when ``rows`` is read.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any, NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graph.oxi import from_ox

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {
    XSD + t
    for t in (
        "integer",
        "decimal",
        "double",
        "float",
        "int",
        "long",
        "nonNegativeInteger",
        "positiveInteger",
    )
}
XSD_DATETIME = XSD + "dateTime"
Cell = Node | ox.NamedNode | ox.BlankNode | ox.Literal | None


class Parts(NamedTuple):
    """A term taken apart: kind ('uri', 'bnode', 'literal'), value, datatype, language."""

    kind: str
    value: str
    datatype: str | None = None
    lang: str | None = None


def parts(term: object) -> Parts | None:
    """Take apart an rdflib or a pyoxigraph term (None for an unbound cell)."""
    if term is None:
        return None
    if isinstance(term, (URIRef, ox.NamedNode)):
        return Parts("uri", term if isinstance(term, URIRef) else term.value)
    if isinstance(term, (BNode, ox.BlankNode)):
        return Parts("bnode", str(term) if isinstance(term, BNode) else term.value)
    if isinstance(term, Literal):
        dt = None if term.datatype is None or term.language else str(term.datatype)
        return Parts("literal", str(term), None if dt == XSD + "string" else dt, term.language)
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        return Parts(
            "literal",
            term.value,
            None if term.language or dt == XSD + "string" else dt,
            term.language,
        )
    raise TypeError(f"not an RDF term: {term!r}")


class Result:
    """A SELECT result: column names and rows of terms (None where a variable is unbound)."""

    def __init__(self, variables: tuple[str, ...], cells: tuple[tuple[Cell, ...], ...]) -> None:
        self.variables = variables
        self.cells = cells
        """The terms as the engine gave them (pyoxigraph or rdflib)."""

    @cached_property
    def rows(self) -> tuple[tuple[Node | None, ...], ...]:
        """The rows as rdflib terms (converted on first use)."""
        return tuple(
            tuple(c if c is None or isinstance(c, Node) else from_ox(c) for c in row)
            for row in self.cells
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return self.variables == other.variables and self.rows == other.rows

    __hash__ = None  # type: ignore[assignment]

    def parts(self) -> Iterator[tuple[Parts | None, ...]]:
        """Each row's terms taken apart."""
        for row in self.cells:
            yield tuple(parts(c) for c in row)

    def records(self) -> list[dict[str, str | None]]:
        """Each row as a mapping of variable to its term's value (None where unbound)."""
        return [
            {
                v: (p.value if p is not None else None)
                for v, p in zip(self.variables, row, strict=True)
            }
            for row in self.parts()
        ]

    def canonical(self, ordered: bool) -> list[tuple[str, ...]]:
        """Rows as TSV terms with numbers by value; sorted unless the query orders them."""
        rows = [tuple(_canon(p) for p in row) for row in self.parts()]
        return rows if ordered else sorted(rows)


def _canon(p: Parts | None) -> str:
    """A term's TSV form; numbers and times compared by value (engines differ in lexical form).

    Virtuoso writes ``2014-08-01T10:00:00+00:00`` for ``2014-08-01T10:00:00Z``.
    """
    if p is not None and p.datatype == XSD_DATETIME:
        try:
            when = datetime.fromisoformat(p.value)
        except ValueError:
            return tsv_term(p)
        if when.tzinfo is not None:
            when = when.astimezone(UTC)
        return f'"{when.isoformat()}"^^dateTime'
    if p is not None and p.datatype in NUMERIC:
        try:
            value = Decimal(p.value.replace("E", "e")).normalize()
        except InvalidOperation:
            return tsv_term(p)
        kind = "integer" if value == value.to_integral_value() else "decimal"
        return f'"{value:f}"^^number-{kind}'
    return tsv_term(p)


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )


def tsv_term(p: Parts | None) -> str:
    """A term in the TSV results syntax (N-Triples terms; empty for unbound)."""
    if p is None:
        return ""
    if p.kind == "uri":
        return f"<{p.value}>"
    if p.kind == "bnode":
        return f"_:{p.value}"
    text = f'"{_escape(p.value)}"'
    if p.lang:
        return f"{text}@{p.lang}"
    return f"{text}^^<{p.datatype}>" if p.datatype else text


def to_tsv(result: Result) -> str:
    """W3C TSV: header ``?var``, one line per row."""
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(tsv_term(p) for p in row) for row in result.parts()]
    return "\n".join(lines) + "\n"


def to_csv(result: Result) -> str:
    """W3C CSV: plain values, IRIs as their text, unbound as empty."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.parts():
        writer.writerow(["" if p is None else p.value for p in row])
    return buf.getvalue()


def to_json(result: Result) -> str:
    """W3C SPARQL 1.1 Query Results JSON, one binding per line.

    Written directly from the engine's terms (a cold query's answer is mostly this formatting,
    so no intermediate dictionaries are built).
    """
    names = [_dumps(v) for v in result.variables]
    lines = [
        "{"
        + ",".join(f"{n}:{_json_cell(t)}" for n, t in zip(names, row, strict=True) if t is not None)
        + "}"
        for row in result.cells
    ]
    head = '{"head":{"vars":[' + ",".join(names) + ']},"results":{"bindings":[\n'
    return head + ",\n".join(lines) + "\n]}}\n"


def _dumps(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _json_cell(term: Cell) -> str:
    """One bound term as a W3C JSON results object."""
    if type(term) is ox.NamedNode:
        return '{"type":"uri","value":' + _dumps(term.value) + "}"
    if type(term) is ox.Literal:
        value = _dumps(term.value)
        if term.language:
            return (
                '{"type":"literal","value":' + value + ',"xml:lang":' + _dumps(term.language) + "}"
            )
        datatype = term.datatype.value
        if datatype == XSD + "string":
            return '{"type":"literal","value":' + value + "}"
        return '{"type":"literal","value":' + value + ',"datatype":' + _dumps(datatype) + "}"
    p = parts(term)
    assert p is not None  # noqa: S101 - unbound cells are skipped by the caller
    out = {"type": p.kind, "value": p.value}
    if p.lang:
        out["xml:lang"] = p.lang
    elif p.datatype:
        out["datatype"] = p.datatype
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def from_json(doc: Mapping[str, Any]) -> Result:
    """Read a W3C JSON results document (as returned by any SPARQL endpoint)."""
    variables = tuple(str(v) for v in doc["head"]["vars"])
    rows = tuple(
        tuple(_from_json_term(b.get(v)) for v in variables) for b in doc["results"]["bindings"]
    )
    return Result(variables, rows)


def _from_json_term(value: object) -> Node | None:
    if not isinstance(value, dict):
        return None
    kind, text = value.get("type"), str(value.get("value", ""))
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if value.get("xml:lang"):
        return Literal(text, lang=str(value["xml:lang"]))
    datatype = value.get("datatype")
    if not datatype or datatype == XSD + "string":
        return Literal(text)
    return Literal(text, datatype=URIRef(str(datatype)))


def to_table(result: Result, label: Callable[[URIRef], str | None], width: int = 48) -> str:
    """A plain-text table; IRIs shown by their label (or in full), long cells cut."""

    def cell(p: Parts | None) -> str:
        if p is None:
            return ""
        text = (label(URIRef(p.value)) or p.value) if p.kind == "uri" else p.value
        text = " ".join(text.split())
        return text if len(text) <= width else text[: width - 1] + "…"

    cells = [[cell(p) for p in row] for row in result.parts()]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(result.variables)]
    line = "  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    count = f"({len(cells)} row{'s' if len(cells) != 1 else ''})"
    return "\n".join([line.rstrip(), rule, *body, count]) + "\n"


def iris(result: Result) -> list[URIRef]:
    """Every distinct IRI in the result, sorted."""
    return sorted({URIRef(p.value) for row in result.parts() for p in row if p and p.kind == "uri"})


def with_labels(result: Result, labels: Callable[[list[URIRef]], Mapping[URIRef, str]]) -> Result:
    """The result with a ``<column>Label`` beside every column that holds IRIs.

    As the Wikidata Query Service's label service does: the label is the IRI's preferred label
    (a plain literal), unbound where it has none; a column the query already labels is left be.
    """
    columns = [
        i
        for i, name in enumerate(result.variables)
        if f"{name}Label" not in result.variables
        and any(p is not None and p.kind == "uri" for p in (parts(row[i]) for row in result.cells))
    ]
    if not columns:
        return result
    names = labels(iris(result))
    variables: list[str] = []
    for i, name in enumerate(result.variables):
        variables += [name, f"{name}Label"] if i in columns else [name]
    rows = []
    for row in result.cells:
        cells: list[Cell] = []
        for i, cell in enumerate(row):
            cells.append(cell)
            if i in columns:
                p = parts(cell)
                label = names.get(URIRef(p.value)) if p is not None and p.kind == "uri" else None
                cells.append(None if label is None else ox.Literal(label))
        rows.append(tuple(cells))
    return Result(tuple(variables), tuple(rows))


class NotRepresentable(ValueError):
    """A value XML 1.0 cannot carry (a control character, a lone surrogate): HTTP 406."""


SRX = "http://www.w3.org/2005/sparql-results#"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def to_xml(result: Result) -> str:
    """W3C SPARQL Query Results XML (https://www.w3.org/TR/rdf-sparql-XMLres/), written by lxml.

    Raises:
        NotRepresentable: a value holds a character XML 1.0 cannot carry; ask for JSON instead.
    """
    from lxml import etree

    root = etree.Element(f"{{{SRX}}}sparql", nsmap={None: SRX})
    head = etree.SubElement(root, f"{{{SRX}}}head")
    for v in result.variables:
        etree.SubElement(head, f"{{{SRX}}}variable", name=v)
    results = etree.SubElement(root, f"{{{SRX}}}results")
    try:
        for row in result.parts():
            item = etree.SubElement(results, f"{{{SRX}}}result")
            for v, p in zip(result.variables, row, strict=True):
                if p is None:
                    continue
                binding = etree.SubElement(item, f"{{{SRX}}}binding", name=v)
                kind = {"uri": "uri", "bnode": "bnode"}.get(p.kind, "literal")
                term = etree.SubElement(binding, f"{{{SRX}}}{kind}")
                if p.lang:
                    term.set(XML_LANG, p.lang)
                elif p.datatype and kind == "literal":
                    term.set("datatype", p.datatype)
                term.text = p.value
    except ValueError as exc:  # lxml refuses what XML 1.0 cannot carry
        raise NotRepresentable(
            f"a value cannot be written as XML ({exc}); ask for JSON "
            "(application/sparql-results+json), which carries any string"
        ) from exc
    body: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return body.decode("utf-8")


def boolean_json(value: bool) -> str:
    """An ASK result in W3C JSON."""
    return json.dumps({"head": {}, "boolean": value}) + "\n"


def boolean_xml(value: bool) -> str:
    """An ASK result in W3C XML."""
    return (
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
        f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
    )


FORMATTERS: dict[str, Callable[[Result], str]] = {
    "csv": to_csv,
    "tsv": to_tsv,
    "json": to_json,
    "xml": to_xml,
}
