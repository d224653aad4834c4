r"""The report's characters, from the stored text that renders the PDF as Markdown with HTML.

``graph/source/*.txt`` is a conversion of the report's PDF: dollar signs are escaped (``\$``,
Markdown), bold is ``**``, table cells hold ``<p>``/``<ul>`` markup. Positions
(``oa:TextPositionSelector``) count code points of that stored text, so that the checksum and the
offsets mean something; every string the graph presents as the report's words (``oa:exact``,
``oa:prefix``, ``oa:suffix``, ``gmp:verbatim``, labels and descriptions) carries the report's
characters instead: ``report_chars(stored[start:end]) == exact`` (tests/test_provenance.py).
Markdown escapes: https://spec.commonmark.org/0.31.2/#backslash-escapes
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\]^_`{|}~\\])")
_TAG = re.compile(r"(?:[ \t\r\n]*</?(?:p|ul|ol|li|br|b|i|em|strong)\b[^<>]*>[ \t\r\n]*)+", re.I)
_TAG_AT_END = re.compile(f"(?:{_TAG.pattern})\\Z", re.I)
_PARTIAL_HEAD = re.compile(r"^[^<>]*>")
_PARTIAL_TAIL = re.compile(r"<[^<>]*$")
ARTEFACT = re.compile(r"\\[$*_#]|\*\*|</?(?:p|ul|ol|li|br)\b[^<>]*>", re.I)
"""What the conversion adds; no literal of the graph may hold it."""


def _map(stored: str) -> str:
    return _TAG.sub(" ", _ESCAPE.sub(r"\1", stored).replace("**", ""))


def report_chars(stored: str) -> str:
    r"""The report's characters for a piece of the stored text (markup at its ends dropped).

    >>> report_chars(r"about \$ 10.5 million")
    'about $ 10.5 million'
    >>> report_chars("<p>French;</p>")
    'French;'
    >>> report_chars("the forum.</p> <p>ii) Development of **three** documents")
    'the forum. ii) Development of three documents'
    """
    mapped = _map(stored)
    if _TAG.match(stored):
        mapped = mapped.lstrip(" ")
    if _TAG_AT_END.search(stored):
        mapped = mapped.rstrip(" ")
    return mapped


def context(stored: str, start: int, end: int, width: int) -> tuple[str, str]:
    """The report's characters just before and after ``stored[start:end]``, ``width`` each.

    A wider window is mapped, a tag cut by the window's edge is dropped, then the result is cut
    to ``width``.
    """
    lo = max(0, start - width - 80)
    before = _map(stored[lo:start])
    if lo > 0:
        before = _PARTIAL_HEAD.sub("", before)
    after = _PARTIAL_TAIL.sub("", _map(stored[end : end + width + 80]))
    return before[-width:], after[:width]
