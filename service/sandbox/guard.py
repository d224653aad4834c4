"""Screen ad-hoc SPARQL so that a refusal says what is wrong, in the parser's own terms.

Two stages. Before a worker is taken (``screen``): size and bracket depth, counted by a split that
follows the grammar (service.sandbox.lexer), so a deep query never reaches a parser. Inside the
worker (``explain``): what a real SPARQL parser (rdflib's,
https://www.w3.org/TR/sparql11-query/#grammar) reads in the query: a ``SERVICE`` anywhere in its
algebra, an update, ``FROM`` a graph that is not held here. Where that parser cannot read a query
that the engine might, a conservative keyword split stands in. None of this is the safety guarantee:
workers run without any network (service.sandbox.netns), so a query that slips past the screen fails
with a network error, which ``network_refusal`` turns into the same message (security.md cases 1, 2,
8, 10).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from service.sandbox import lexer

UPDATE_WORDS = {
    "insert",
    "delete",
    "load",
    "clear",
    "create",
    "drop",
    "copy",
    "move",
    "add",
    "with",
}
QUERY_FORMS = {"select", "construct", "ask", "describe"}
EXPLAINED = UPDATE_WORDS | {"service", "from"}
"""Keywords that make a query worth reading with a parser (outside strings, IRIs, comments and
names: ``?from`` is not one); any other query goes to the engine as it is."""
MAYBE_EXPLAINED = re.compile(
    r"(?<![\w?$:])(?:" + "|".join(sorted(EXPLAINED)) + r")(?![\w:-])", re.IGNORECASE
)
"""The same words anywhere but in names (in a string or a comment too): a match is read by the
lexer, no match is certainly no keyword, read in C (a ``\\u`` escape could spell one: lexed)."""
SERVICE_MESSAGE = "SERVICE (federated query) is not allowed on this endpoint: nothing is fetched"
READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"
_NETWORK_ERRORS = (
    "network is unreachable",
    "name resolution",
    "lookup address",
    "connection refused",
    "not allowed for http",
    "os error 101",
    "dns error",
    "error sending request",
)


class QueryRefused(ValueError):
    """A query the service will not run; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def screen(text: str, max_bytes: int, max_depth: int) -> None:
    """The checks made before a worker is taken: size, emptiness, bracket depth.

    Raises:
        QueryRefused: 413 larger than ``max_bytes``; 400 empty or nested deeper than
            ``max_depth``.
    """
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise QueryRefused(f"query is larger than {max_bytes} bytes", 413)
    if not text.strip():
        raise QueryRefused("empty query")
    brackets = text.count("(") + text.count("{") + text.count("[")
    if brackets > max_depth and lexer.depth(text) > max_depth:
        raise QueryRefused(f"query nests brackets deeper than {max_depth} levels")


def explain(
    text: str,
    local_graphs: Iterable[str],
    prefixes: dict[str, str] | None = None,
    base_iri: str | None = None,
) -> None:
    """Refuse SERVICE, updates and non-local FROM as the parser reads them (runs in a worker).

    Raises:
        QueryRefused: 400 SERVICE or a FROM of a graph not held here; 403 an update.
    """
    if not MAYBE_EXPLAINED.search(text) and "\\u" not in text.lower():
        return  # not even the letters of SERVICE, FROM or an update word: the engine runs it
    words = lexer.keywords(text)
    if not words & EXPLAINED:
        return  # no SERVICE, FROM or update keyword: nothing for a parser to explain
    expanded = lexer.expand_escapes(text)
    allowed = set(local_graphs)
    # the grammar ends comments at \r too; prefixes and base as the engine is given them
    parsed = _parse_query(expanded.replace("\r", "\n"), prefixes or {}, base_iri)
    if parsed is None:
        _explain_by_words(text)
        return
    if "ServiceGraphPattern" in _names(parsed):
        raise QueryRefused(SERVICE_MESSAGE)
    for clause in parsed.get("datasetClause") or ():
        # CompValue.get answers a missing key with its name: read the key that is there
        iri = str(clause["default"] if "default" in clause else clause["named"])
        if iri not in allowed:
            raise QueryRefused(
                f"FROM <{iri}>: only this service's own graphs can be named, nothing is fetched"
            )


def load_parser() -> None:
    """Import rdflib's SPARQL parser and algebra (about half a second, once per worker)."""
    import rdflib.plugins.sparql.algebra
    import rdflib.plugins.sparql.parser  # noqa: F401


def network_refusal(engine_message: str) -> str | None:
    """The refusal to give when the engine failed because it has no network, else None."""
    lowered = engine_message.lower()
    if any(marker in lowered for marker in _NETWORK_ERRORS):
        return SERVICE_MESSAGE
    return None


def _parse_query(text: str, prefixes: dict[str, str], base_iri: str | None) -> Any:
    """The algebra rdflib reads of the query, or None where rdflib reads it as no query."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        return translateQuery(parseQuery(text), base=base_iri, initNs=prefixes).algebra
    except Exception:  # noqa: S110 - rdflib reads no query here: perhaps an update
        pass
    try:
        parseUpdate(text)
    except Exception:  # rdflib cannot read it at all
        return None
    raise QueryRefused(READ_ONLY, 403)


def _names(node: Any, found: set[str] | None = None) -> set[str]:
    """Every algebra and parse-tree node name below ``node``."""
    from rdflib.plugins.sparql.parserutils import CompValue

    found = set() if found is None else found
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            found.add(item.name)
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set):
            stack.extend(item)
        elif hasattr(item, "as_list") and not isinstance(item, str):
            stack.extend(item.as_list())
    return found


def _explain_by_words(text: str) -> None:
    """Where no parser reads the query: refuse on bare keywords (conservative).

    A ``FROM`` in such a query is left to the engine: it names graphs of the store (the dataset
    the worker passes overrides it) and is never fetched.
    """
    words = lexer.keywords(text)
    if "service" in words:
        raise QueryRefused(SERVICE_MESSAGE)
    if UPDATE_WORDS & words and not QUERY_FORMS & words:
        raise QueryRefused(READ_ONLY, 403)
