"""Where an IRI points in the web pages.

Our data goes to local pages, so do the Wikidata entities we describe (``/resource?iri=``),
other http(s) IRIs outward, other schemes (``javascript:``, ``file:``)
nowhere (security.md case 17).
"""

from __future__ import annotations

from urllib.parse import quote

from graph.namespaces import GMP, GMPD

ONTOLOGY = "https://w3id.org/mercury-kg/def"
DESCRIBED_HERE = ("http://www.wikidata.org/entity/",)
"""Namespaces of resources this graph describes (countries): their links stay on this site."""


def href(iri: str) -> str | None:
    """The link target for an IRI in an HTML page, or None when it must not be a link."""
    if iri.startswith(str(GMPD)):
        return "/id/" + quote(iri.removeprefix(str(GMPD)), safe="/-._~")
    if iri.startswith(str(GMP)):
        return "/def#" + quote(iri.removeprefix(str(GMP)), safe="-._~")
    if iri == ONTOLOGY:
        return "/def"
    if not is_web_iri(iri):
        return None
    if iri.startswith(DESCRIBED_HERE):
        return "/resource?iri=" + quote(iri, safe="")
    return iri


def is_web_iri(iri: str) -> bool:
    """An absolute http(s) IRI with no characters that could break out of an attribute or link.

    Control characters are refused too (RFC 3987 has none; the engine would refuse the IRI).
    """
    return (
        iri.startswith(("http://", "https://"))
        and not any(c in iri for c in "<>\"'` \\{}|^")
        and not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in iri)
    )


def is_local(iri: str) -> bool:
    """True for IRIs of our data namespace (dereferenced here)."""
    return iri.startswith(str(GMPD))
