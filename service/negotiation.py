"""Content negotiation in one place.

Media-type tables, an Accept parser with q-values, and a ``format=`` override
(RFC 9110 §12.5.1, https://www.rfc-editor.org/rfc/rfc9110#section-12.5.1).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """A result format: short name, media type, file extension."""

    name: str
    media_type: str
    extension: str


RESULTS = {
    "json": Format("json", "application/sparql-results+json", "srj"),
    "xml": Format("xml", "application/sparql-results+xml", "srx"),
    "csv": Format("csv", "text/csv", "csv"),
    "tsv": Format("tsv", "text/tab-separated-values", "tsv"),
}
"""SELECT and ASK results (W3C SPARQL 1.1 results formats)."""

RDF = {
    "ttl": Format("ttl", "text/turtle", "ttl"),
    "nt": Format("nt", "application/n-triples", "nt"),
    "jsonld": Format("jsonld", "application/ld+json", "jsonld"),
    "xml": Format("xml", "application/rdf+xml", "rdf"),
    "trig": Format("trig", "application/trig", "trig"),
    "nq": Format("nq", "application/n-quads", "nq"),
}
"""RDF graphs (CONSTRUCT, DESCRIBE, resources, the dataset)."""

HTML = Format("html", "text/html", "html")

ALIASES = {
    "application/json": "json",
    "text/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/plain": "nt",
    "application/x-turtle": "ttl",
    "application/turtle": "ttl",
    "turtle": "ttl",
    "ntriples": "nt",
    "n-triples": "nt",
    "json-ld": "jsonld",
    "rdf": "xml",
    "rdfxml": "xml",
    "nquads": "nq",
    "srj": "json",
    "srx": "xml",
    "text": "tsv",
    "table": "html",
}
"""Other names clients use for the same formats."""


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first (stable for equal q).

    >>> parse_accept("text/html;q=0.5, text/turtle, */*;q=0.1")
    [('text/turtle', 1.0), ('text/html', 0.5), ('*/*', 0.1)]
    """
    ranges = []
    for i, part in enumerate((header or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(f[2:])))
                except ValueError:
                    q = 0.0
        ranges.append((i, media, q))
    ranges.sort(key=lambda r: (-r[2], r[0]))
    return [(m, q) for _, m, q in ranges if q > 0]


def negotiate(
    accept: str | None,
    override: str | None,
    table: dict[str, Format],
    extra: tuple[Format, ...] = (),
    default: str | None = None,
) -> Format | None:
    """The format to answer with, or None when nothing acceptable is offered (406).

    ``override`` (a ``format=`` value: a short name or a media type) wins over Accept.
    """
    offered = [*table.values(), *extra]
    by_media = {f.media_type: f for f in offered}
    if override:
        key = override.strip().lower()
        key = ALIASES.get(key, key)
        if key in table:
            return table[key]
        for f in offered:
            if key in (f.name, f.media_type):
                return f
        return None
    fallback = table[default] if default else offered[0]
    for media, _ in parse_accept(accept):
        alias = ALIASES.get(media)
        if media in by_media:
            return by_media[media]
        if alias in table:
            return table[alias]
        if media == "*/*":
            return fallback
        if media.endswith("/*"):
            prefix = media[:-1]
            for f in offered:
                if f.media_type.startswith(prefix):
                    return f
    return None
