"""Where an IRI points in the web pages.

Our data goes to local pages, http(s) IRIs outward, other schemes (``javascript:``, ``file:``)
nowhere (security.md case 17).
"""

from __future__ import annotations

from urllib.parse import quote

from graph.namespaces import GMP, GMPD

ONTOLOGY = "https://w3id.org/mercury-kg/def"


def href(iri: str) -> str | None:
    """The link target for an IRI in an HTML page, or None when it must not be a link."""
    if iri.startswith(str(GMPD)):
        return "/id/" + quote(iri.removeprefix(str(GMPD)), safe="/-._~")
    if iri.startswith(str(GMP)):
        return "/def#" + quote(iri.removeprefix(str(GMP)), safe="-._~")
    if iri == ONTOLOGY:
        return "/def"
    if iri.startswith(("http://", "https://")) and not any(c in iri for c in "<>\"' "):
        return iri
    return None


def is_local(iri: str) -> bool:
    """True for IRIs of our data namespace (dereferenced here)."""
    return iri.startswith(str(GMPD))
