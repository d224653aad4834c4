"""Query results as rows of RDF terms, and their W3C serialisations.

Formats: SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/), CSV and
TSV (https://www.w3.org/TR/sparql11-results-csv-tsv/), and a terminal table that shows labels
instead of bare IRIs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

NUMERIC = {
    XSD.integer,
    XSD.decimal,
    XSD.double,
    XSD.float,
    XSD.int,
    XSD.long,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
}


@dataclass(frozen=True)
class Result:
    """A SELECT result: column names and rows (None for an unbound cell)."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]

    def canonical(self, ordered: bool) -> list[tuple[str, ...]]:
        """Rows as N-Triples-like strings with numbers in canonical form; sorted unless ordered."""
        rows = [tuple(_canon(t) for t in row) for row in self.rows]
        return rows if ordered else sorted(rows)


def _canon(term: Node | None) -> str:
    """A term's TSV form; numbers compared by value (engines differ in lexical form)."""
    if isinstance(term, Literal) and term.datatype in NUMERIC:
        value = Decimal(str(term.toPython())).normalize()
        kind = "integer" if value == value.to_integral_value() else "decimal"
        return f'"{value:f}"^^number-{kind}'
    return tsv_term(term)


def tsv_term(term: Node | None) -> str:
    """A term in the TSV results syntax (N-Triples-like; empty for unbound)."""
    if term is None:
        return ""
    if isinstance(term, (URIRef, BNode, Literal)):
        return term.n3()
    return str(term)


def to_tsv(result: Result) -> str:
    """W3C TSV: header ``?var``, one line per row."""
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def to_csv(result: Result) -> str:
    """W3C CSV: plain values, IRIs as their text, unbound as empty."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else str(t) for t in row])
    return buf.getvalue()


def to_json(result: Result) -> str:
    """W3C SPARQL 1.1 Query Results JSON."""
    bindings = [
        {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype != XSD.string:
            out["datatype"] = str(term.datatype)
        return out
    raise TypeError(f"not an RDF term: {term!r}")


def from_json(doc: Mapping[str, object]) -> Result:
    """Read a W3C JSON results document (as returned by any SPARQL endpoint)."""
    head = doc["head"]
    variables = tuple(head["vars"]) if isinstance(head, dict) else ()
    results = doc["results"]
    bindings = results["bindings"] if isinstance(results, dict) else []
    rows = tuple(tuple(_from_json_term(b.get(v)) for v in variables) for b in bindings)
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
    if not datatype or datatype == str(XSD.string):
        return Literal(text)
    return Literal(text, datatype=URIRef(str(datatype)))


def to_table(result: Result, label: Callable[[URIRef], str | None], width: int = 48) -> str:
    """A plain-text table; IRIs shown by their label (or shortened), long cells cut."""

    def cell(term: Node | None) -> str:
        if term is None:
            return ""
        text = (label(term) or str(term)) if isinstance(term, URIRef) else str(term)
        text = " ".join(text.split())
        return text if len(text) <= width else text[: width - 1] + "…"

    cells = [[cell(t) for t in row] for row in result.rows]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(result.variables)]
    line = "  ".join(v.ljust(w) for v, w in zip(result.variables, widths, strict=True))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    count = f"({len(cells)} row{'s' if len(cells) != 1 else ''})"
    return "\n".join([line.rstrip(), rule, *body, count]) + "\n"


FORMATTERS: dict[str, Callable[[Result], str]] = {"csv": to_csv, "tsv": to_tsv, "json": to_json}
