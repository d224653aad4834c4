"""Screen ad-hoc SPARQL before any engine sees it: size, nesting depth, and forbidden operations.

Read-only and closed to the network by construction (security.md cases 1, 2, 8, 10): a query may
not contain the ``SERVICE`` keyword in any syntax (``SILENT``, lower case, variables, comments
between tokens), may not be an update, and may name in ``FROM``/``FROM NAMED`` only the graphs the
service holds. The check works on tokens with strings, IRIs and comments blanked out, so text
inside a literal never trips it and no spelling gets past it. SPARQL 1.1 grammar:
https://www.w3.org/TR/sparql11-query/#grammar
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_STRING = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
)
_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_COMMENT = re.compile(r"#[^\n]*")
_UPDATE = {"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"}


class QueryRefused(ValueError):
    """A query the service will not run; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _blank(text: str) -> str:
    """Replace strings, IRIs and comments by spaces (keeping offsets), in one left-to-right pass."""
    out, i = [], 0
    pattern = re.compile(f"{_STRING.pattern}|{_IRI.pattern}|{_COMMENT.pattern}")
    for m in pattern.finditer(text):
        out.append(text[i : m.start()])
        token = m.group(0)
        keep = token[0] if token[0] in "<" else ""
        out.append(keep + " " * (len(token) - len(keep)))
        i = m.end()
    out.append(text[i:])
    return "".join(out)


def _keywords(code: str) -> list[str]:
    """Bare words that are not prefixed names, variables or language tags."""
    return [m.group(1).lower() for m in re.finditer(r"(?<![\w:?$@.-])([A-Za-z]+)(?![\w:-])", code)]


def depth(code: str) -> int:
    """Deepest nesting of (, { and [ in code with strings and comments blanked."""
    level = deepest = 0
    for ch in code:
        if ch in "({[":
            level += 1
            deepest = max(deepest, level)
        elif ch in ")}]":
            level -= 1
    return deepest


def screen(text: str, local_graphs: Iterable[str], max_bytes: int, max_depth: int) -> None:
    """Raise QueryRefused unless the query may run.

    Raises:
        QueryRefused: 413 too large; 400 too deep, SERVICE, FROM a non-local graph;
            403 an update.
    """
    if len(text.encode("utf-8")) > max_bytes:
        raise QueryRefused(f"query is larger than {max_bytes} bytes", 413)
    if not text.strip():
        raise QueryRefused("empty query")
    code = _blank(text)
    if depth(code) > max_depth:
        raise QueryRefused(f"query nests brackets deeper than {max_depth} levels")
    words = _keywords(code)
    if "service" in words:
        raise QueryRefused("SERVICE (federated query) is not allowed on this endpoint")
    if _UPDATE & set(words) and not {"select", "construct", "ask", "describe"} & set(words):
        raise QueryRefused("this endpoint is read-only: SPARQL Update is not accepted", 403)
    allowed = set(local_graphs)
    for m in re.finditer(r"(?i)(?<![\w?$:])FROM(?![\w:])\s*(?:NAMED(?![\w:])\s*)?", code):
        rest = text[m.end() :]
        iri = re.match(r"<([^<>\"{}|^`\\\s]*)>", rest)
        if iri is None:
            raise QueryRefused("FROM needs a graph IRI written in full, as <...>")
        if iri.group(1) not in allowed:
            raise QueryRefused(
                f"FROM <{iri.group(1)}>: only this service's own graphs can be named, "
                "nothing is fetched"
            )
