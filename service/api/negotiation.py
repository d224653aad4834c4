"""Content negotiation in one place.

Media-type tables, Accept and Accept-Language read with their q-values by Werkzeug's parser
(RFC 9110 §12.5.1 and §12.5.4, https://www.rfc-editor.org/rfc/rfc9110#section-12.5.1), and a
``format=`` override. Every answer chosen this way carries ``Vary: Accept`` (service.server.app).
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import LanguageAccept, MIMEAccept
from werkzeug.http import parse_accept_header


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
    """Media ranges with their q-values, best first (more specific first for equal q).

    >>> parse_accept("text/html;q=0.5, text/turtle, */*;q=0.1")
    [('text/turtle', 1), ('text/html', 0.5), ('*/*', 0.1)]
    >>> parse_accept("Text/Turtle; charset=utf-8, application/json;q=0")
    [('text/turtle', 1)]
    """
    accept = parse_accept_header(header or "*/*", MIMEAccept)
    ranges = [(value.split(";", 1)[0].strip().lower(), q) for value, q in accept if q > 0]
    return sorted(ranges, key=lambda r: -r[1])


def parse_languages(header: str | None) -> list[str]:
    """Language tags of an Accept-Language header, best first (q > 0), in lower case.

    >>> parse_languages("fr-CH, fr;q=0.9, en;q=0.8")
    ['fr-ch', 'fr', 'en']
    """
    accept = parse_accept_header(header or "", LanguageAccept)
    tags = [(value.strip().lower(), q) for value, q in accept if q > 0]
    return [tag for tag, _ in sorted(tags, key=lambda r: -r[1])]


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
