r"""Split SPARQL text the way the grammar does, for the cheap checks made before any parser runs.

Only two things are read off this split: how deep brackets nest (a deep query crashes parsers,
security.md case 8) and, where no parser could read the query, which bare keywords it holds (for
a clear refusal message). Neither is what keeps the service safe: workers have no network
(service.sandbox.netns). The split follows the SPARQL 1.1 grammar's terminals
(https://www.w3.org/TR/sparql11-query/#grammar): comments end at ``\r`` or ``\n``; IRIREF
excludes only ``<>"{}|^`\`` and U+0000-U+0020 (so U+00A0 is IRI text) and may hold ``\u``
escapes (Oxigraph reads them); ``\`` escapes the next character in local names; strings have
four forms. Depth is counted conservatively: brackets inside IRIs count, only strings and
comments are skipped.
"""

from __future__ import annotations

import re

_STRING = "|".join(
    (
        r'"""(?:[^"\\]|\\.|"(?!""))*"""',
        r"'''(?:[^'\\]|\\.|'(?!''))*'''",
        r'"(?:[^"\\\n\r]|\\.)*"',
        r"'(?:[^'\\\n\r]|\\.)*'",
    )
)
_IRI = r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>'
_COMMENT = r"#[^\r\n]*"
_ESCAPE = r"\\."
_TOKEN = re.compile(
    f"(?P<string>{_STRING})|(?P<iri>{_IRI})|(?P<comment>{_COMMENT})|{_ESCAPE}", re.S
)
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def expand_escapes(text: str) -> str:
    r"""Replace ``\uXXXX`` and ``\UXXXXXXXX`` by their characters (SPARQL 1.1 section 19.2)."""

    def char(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)

    return _UNICODE_ESCAPE.sub(char, text)


def code_only(text: str, keep_iris: bool) -> str:
    """The text with strings and comments (and IRIs unless ``keep_iris``) blanked, same offsets."""
    out, i = [], 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind is None or (kind == "iri" and keep_iris):
            continue  # an escape pair, or an IRI kept as code
        out.append(text[i : m.start()])
        out.append(" " * (m.end() - m.start()))
        i = m.end()
    out.append(text[i:])
    return "".join(out)


def depth(text: str) -> int:
    """Deepest nesting of ``(``, ``{`` and ``[`` outside strings and comments."""
    level = deepest = 0
    for ch in code_only(text, keep_iris=True):
        if ch in "({[":
            level += 1
            deepest = max(deepest, level)
        elif ch in ")}]":
            level -= 1
    return deepest


def keywords(text: str) -> set[str]:
    """Bare words outside strings, IRIs and comments, lower-cased.

    Conservative: a word counts unless it is part of a variable, a prefixed name or a language
    tag; a word right after ``.`` or ``;`` counts (``?s ?p ?o .SERVICE`` is a keyword).
    """
    code = code_only(expand_escapes(text), keep_iris=False)
    return {
        m.group(1).lower()
        for m in re.finditer(r"(?<![\w:?$@\\-])([A-Za-z]+)(?![\w:\\-])", code, re.ASCII)
    }
