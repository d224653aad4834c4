"""Hints for the SPARQL syntax errors a newcomer makes.

Standard: the SPARQL 1.1 grammar, https://www.w3.org/TR/sparql11-query/#rPN_LOCAL.

The engine's message lists the characters it expected; the hint says what to write instead.
Today: a prefixed name whose local part holds ``/`` (``gmpd:area/coal``), which the grammar does
not allow; the hint gives the short data prefix (``area:coal``) or the full IRI.
"""

from __future__ import annotations

import re

from graph.namespaces import curie_to_iri, shorten

_SLASHED = re.compile(r"(?<![\w<\"'/#?:.-])([A-Za-z][\w-]*)?:([\w.-]*/[\w./-]*[\w-])")
_QUOTED = re.compile(r"<[^<>\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n\r]*")


def syntax_hint(query: str) -> str | None:
    """What to write instead of the first ``prefix:a/b`` name of the query, if it has one.

    >>> print(syntax_hint("SELECT * { gmpd:area/coal ?p ?o }"))
    gmpd:area/coal is not a prefixed name (a local name may not hold '/'): write area:coal or <https://w3id.org/mercury-kg/id/area/coal>
    >>> syntax_hint("SELECT * { <http://x/a/b> ?p 'a:b/c' }") is None
    True
    """
    text = _QUOTED.sub(lambda m: " " * len(m.group()), query)
    match = _SLASHED.search(text)
    if not match:
        return None
    written = match.group()
    iri = curie_to_iri(written)
    if iri is None:
        return (
            f"{written} is not a prefixed name (a local name may not hold '/', and the prefix"
            f" {match.group(1) or ''}: is not predeclared): write a full IRI in <...>"
        )
    short = shorten(iri)
    instead = f"{short} or <{iri}>" if short != iri else f"<{iri}>"
    return f"{written} is not a prefixed name (a local name may not hold '/'): write {instead}"
