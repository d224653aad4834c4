"""Every field of a record checked against its kind before any RDF is made.

The compiler (``graph.compile.compiler``) turns records into triples; this module decides first
whether each value is of its field's kind, so that a wrong value is named by record, field and
line instead of surfacing later as a broken IRI, an absurd amount or an invalid serialisation.
It runs on submissions in the write path's intake worker (``graph.contrib.intake``) and on the
curated files in the build. What it checks:

- ids: ``kind/short-name`` (lower case, digits, hyphens), the kind matching the record type
  (``flow/`` for a FundingFlow), nothing that walks a path (``..``, ``%``, a third segment);
- references: an id or a ``prefix:name`` of the shared prefix map;
- IRIs: RFC 3987 syntax (https://www.rfc-editor.org/rfc/rfc3987, ``rfc3987-syntax``), http(s);
- numbers: plain decimals, at most 15 significant digits, from 0 up to below 10^15;
- currencies: ISO 4217 alphabetic codes (``pycountry``'s table of ISO 4217);
- dates: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, an interval's start not after its end, a date
  of something that happened (``established``, ``issued``) not after today nor after the end
  of the period a submission reports on;
- texts: a length cap on every text, labels included, and no control characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, NamedTuple

import pycountry

from graph.compile.records import COMMON, ID_KINDS, RECORD_TYPES, Field
from graph.compile.timevalues import Precise
from graph.namespaces import PREFIXES

ID = re.compile(r"([a-z]+)/[a-z0-9][a-z0-9-]*")
WIKIDATA = re.compile(r"wd:Q[1-9][0-9]*")
CURIE = re.compile(r"([a-z][a-z0-9-]*):[A-Za-z0-9_][A-Za-z0-9_./-]*")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
"""Characters no text may hold (tab, line feed and carriage return are text)."""

MAX_ID = 100
MAX_LABEL = 300
"""Characters of a label, a title, a short string or an amount's words."""
MAX_TEXT = 5_000
"""Characters of a description, an objective, a note or another text field."""
MAX_QUOTE = 100_000
MAX_URL = 2_000
MAX_ITEMS = 100
"""Values of one list field."""
MAX_DIGITS = 15
MAX_NUMBER = Decimal(10) ** 15
MAX_COUNT = 10**9
SHORT = {"label", "alt", "title", "ordinal", "verbatim", "unit_text", "languages_as_stated"}
"""Text fields held to ``MAX_LABEL``."""
HAPPENED = {"established", "issued", "date"}
"""Date fields of something that happened: never after today, nor after the period's end."""
NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")
APPROX = ("exact", "about", "almost")
PERIODS = ("year", "month", "week", "day")


class Fault(NamedTuple):
    """One value that is not of its field's kind."""

    record: str
    field: str
    line: int | None
    message: str


class Window(NamedTuple):
    """The dates a record's values may take: ``today`` and the reported period, if named."""

    today: date
    start: date | None = None
    end: date | None = None


def is_iri(value: str) -> bool:
    """An absolute http(s) IRI in RFC 3987 syntax (no space, quote, brace, bar or backslash)."""
    return value.startswith(("http://", "https://")) and _iri_syntax(value)


@lru_cache(maxsize=1024)
def _iri_syntax(value: str) -> bool:
    from rfc3987_syntax import is_valid_syntax_iri  # its grammar is built on first use

    return bool(is_valid_syntax_iri(value))


def currency(code: object) -> str | None:
    """Why ``code`` is not an ISO 4217 alphabetic currency code, or None when it is one."""
    if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{3}", code):
        return f"'currency' is a three-letter ISO 4217 code such as USD, EUR or NOK, got {code!r}"
    if pycountry.currencies.get(alpha_3=code) is None:
        return f"{code!r} is not an ISO 4217 currency code (USD, EUR, NOK, JPY, ...)"
    return None


def number(value: object, key: str, signed: bool = False) -> Decimal:
    """A plain, finite number of at most 15 significant digits, below 10^15.

    Not negative unless ``signed`` (a relative change may be).

    >>> number("0.38", "share"), number(850000, "value")
    (Decimal('0.38'), Decimal('850000'))

    Raises:
        ValueError: naming the key and what is wrong (words, exponent, too many digits, range).
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise ValueError(f"'{key}' must be a number, got {_show(value)}")
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 40 or not NUMBER.fullmatch(text.removeprefix("-" if signed else "")):
            raise ValueError(
                f"'{key}' must be a plain number like 300000 or 0.38 (digits, one point), got "
                f"{_show(value)}"
            )
    if isinstance(value, int) and not -MAX_NUMBER < value < MAX_NUMBER:
        raise ValueError(f"'{key}' must be below 10^15, got a number of {len(str(value))} digits")
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError(f"'{key}' must be a number, got {_show(value)}") from None
    if not result.is_finite():
        raise ValueError(f"'{key}' must be a finite number, got {_show(value)}")
    if result < 0 and not signed:
        raise ValueError(f"'{key}' may not be negative, got {_show(value)}")
    if abs(result) >= MAX_NUMBER:
        raise ValueError(f"'{key}' must be below 10^15, got {_show(value)}")
    if len(result.normalize().as_tuple().digits) > MAX_DIGITS:
        raise ValueError(f"'{key}' has more than {MAX_DIGITS} significant digits")
    return result


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def text(value: object, key: str, limit: int | None = None) -> str | None:
    """Why ``value`` is not a text of its field (type, length, characters), or None."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        return f"'{key}' must be text, got {_show(value)}"
    text_value = str(value)
    cap = limit or (MAX_LABEL if key in SHORT else MAX_TEXT)
    if len(text_value) > cap:
        return f"'{key}' is longer than {cap:,} characters ({len(text_value):,})"
    bad = CONTROL.search(text_value)
    if bad is not None:
        return f"'{key}' holds a control character (U+{ord(bad.group()):04X})"
    try:
        text_value.encode("utf-8")
    except UnicodeEncodeError:
        return f"'{key}' holds a lone surrogate, which is not a character"
    return None


def record_id(value: object, rtype: str | None) -> str | None:
    """Why ``value`` is not an id for a record of ``rtype``, or None."""
    if not isinstance(value, str):
        return f"'id' must be text like flow/my-grant, got {_show(value)}"
    if len(value) > MAX_ID:
        return f"'id' is longer than {MAX_ID} characters"
    kinds = ID_KINDS.get(rtype or "", ())
    if value == "gmp" and "gmp" in kinds:
        return None
    if WIKIDATA.fullmatch(value):
        return None if "wd" in kinds else f"a {rtype} id is kind/short-name, not {value!r}"
    match = ID.fullmatch(value)
    if match is None:
        return (
            f"'id' is kind/short-name in lower case, digits and hyphens (flow/norway-asgm-2013), "
            f"got {_show(value)}"
        )
    if kinds and match.group(1) not in kinds:
        return (
            f"the id's kind {match.group(1)!r} does not fit type {rtype}: its ids start with "
            + " or ".join(f"{k}/" for k in kinds)
        )
    return None


def reference(value: object, key: str) -> str | None:
    """Why ``value`` is not a reference (an id or a known ``prefix:name``), or None."""
    if not isinstance(value, str):
        return f"'{key}' must be an id or prefix:name, got {_show(value)}"
    if len(value) > MAX_ID:
        return f"'{key}' is longer than {MAX_ID} characters"
    if ID.fullmatch(value) or value == "gmp":
        return None
    match = CURIE.fullmatch(value)
    if match is None or "/." in value or "//" in value:
        return f"'{key}' must be an id (org/unido) or a prefix:name (wd:Q813), got {_show(value)}"
    if match.group(1) not in PREFIXES:
        return f"'{key}': unknown prefix {match.group(1)!r} in {value!r}"
    return None


def precise(value: object, key: str, happened: bool, window: Window) -> str | None:
    """Why ``value`` is not a plausible date, or None."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return f"'{key}' is a date YYYY, YYYY-MM or YYYY-MM-DD, got {_show(value)}"
    try:
        when = Precise.parse(value)
    except ValueError as exc:
        detail = str(exc)
        if "is not YYYY" in detail:
            return f"'{key}': {detail}"
        return f"'{key}': {str(value)!r} is not a date ({detail})"
    if not 1900 <= when.year <= window.today.year + 50:
        return f"'{key}': the year {when.year} is not plausible"
    if happened and when.earliest() > window.today:
        return f"'{key}': {when.text} has not happened yet (today is {window.today.isoformat()})"
    if happened and window.end is not None and when.earliest() > window.end:
        return (
            f"'{key}': {when.text} is after the end of the period reported on "
            f"({window.end.isoformat()}); report it for the period it falls in"
        )
    return None


def _time(value: object, key: str, window: Window) -> Iterator[str]:
    if isinstance(value, dict):
        unknown = set(value) - {"from", "to", "__line__", "__lines__"}
        if unknown:
            yield f"'{key}': an interval takes only 'from' and 'to', not {sorted(unknown)}"
            return
        ends = [value.get("from"), value.get("to")]
        if ends == [None, None]:
            yield f"'{key}': an interval needs 'from', 'to' or both"
            return
        problems = [precise(v, key, False, window) for v in ends if v is not None]
        yield from (p for p in problems if p)
        if None not in ends and not any(problems):
            begin, end = (Precise.parse(v) for v in ends)
            if begin.earliest() > end.latest():
                yield f"'{key}': 'from' ({begin.text}) is after 'to' ({end.text})"
        return
    problem = precise(value, key, False, window)
    if problem:
        yield problem


def _amount(value: object, key: str, money: bool) -> Iterator[str]:
    if not isinstance(value, dict):
        yield f"'{key}' is a mapping with value, approx and verbatim"
        return
    keys = {"value", "approx", "verbatim"} | (
        {"currency", "per"} if money else {"unit", "unit_text"}
    )
    unknown = sorted(set(value) - keys - {"__line__", "__lines__"})
    if unknown:
        yield f"'{key}': unknown keys {unknown}; allowed {sorted(keys)}"
    try:
        number(value.get("value"), f"{key}.value", signed=not money)
    except ValueError as exc:
        yield str(exc)
    if value.get("approx") not in APPROX:
        yield f"'{key}.approx' must be one of {', '.join(APPROX)}"
    words = value.get("verbatim")
    if words in (None, ""):
        yield f"'{key}.verbatim' (the words the amount is written in) is required"
    else:
        yield from _some(text(words, "verbatim"))
    if money:
        yield from _some(currency(value.get("currency")))
        if value.get("per") is not None and value.get("per") not in PERIODS:
            yield f"'{key}.per' must be one of {', '.join(PERIODS)}"
    else:
        if value.get("unit") is not None:
            yield from _some(reference(value.get("unit"), f"{key}.unit"))
        if value.get("unit_text") is not None:
            yield from _some(text(value.get("unit_text"), "unit_text"))


def _some(problem: str | None) -> Iterator[str]:
    if problem:
        yield problem


def value_faults(key: str, spec: Field, value: Any, window: Window) -> Iterator[str]:
    """What is wrong with one field's value, as sentences naming the field."""
    kind = spec[1]
    many = kind in ("refs", "texts", "strs", "quantities", "url")
    if isinstance(value, list):
        if not many:
            yield f"'{key}' takes one value, not a list"
            return
        if len(value) > MAX_ITEMS:
            yield f"'{key}' lists more than {MAX_ITEMS} values"
            return
        items = value
    else:
        items = [value]
    for item in items:
        if kind in ("ref", "refs"):
            yield from _some(reference(item, key))
        elif kind in ("text", "texts", "str", "strs"):
            yield from _some(text(item, key))
        elif kind == "url":
            if not isinstance(item, str) or len(item) > MAX_URL or not is_iri(item):
                yield (
                    f"'{key}' must be an http(s) address in IRI syntax (no spaces, quotes, "
                    f"braces, bars or backslashes; RFC 3987), got {_show(item)}"
                )
        elif kind == "int":
            if isinstance(item, bool) or not isinstance(item, int) or not 0 <= item < MAX_COUNT:
                yield f"'{key}' must be a whole number from 0 to 10^9, got {_show(item)}"
        elif kind == "decimal":
            try:
                number(item, key)
            except ValueError as exc:
                yield str(exc)
        elif kind == "literal-date":
            yield from _some(precise(item, key, key in HAPPENED, window))
        elif kind == "time":
            yield from _time(item, key, window)
        elif kind in ("money", "quantity", "quantities"):
            yield from _amount(item, key, money=kind == "money")


def _sources(value: Any) -> Iterator[str]:
    items = value if isinstance(value, list) else [value]
    if len(items) > MAX_ITEMS:
        yield f"'source' lists more than {MAX_ITEMS} quotes"
        return
    for item in items:
        quote = item.get("quote") if isinstance(item, dict) else item
        if not isinstance(quote, str) or not quote.strip():
            yield f"'source' entries are quotes of your text (strings), got {_show(item)}"
            continue
        yield from _some(text(quote, "source", MAX_QUOTE))
        at = item.get("at") if isinstance(item, dict) else None
        if at is not None and (isinstance(at, bool) or not isinstance(at, int) or at < 0):
            yield f"'source.at' is a character offset (a whole number), got {_show(at)}"


def _kind_of(target: str) -> str | None:
    """The record type an ``extends`` target's id implies, where only one has its kind."""
    match = ID.fullmatch(target)
    if match is None:
        return None
    types = [t for t, kinds in ID_KINDS.items() if match.group(1) in kinds]
    return types[0] if len(types) == 1 else None


def record_faults(
    fields: dict[str, Any], lines: dict[str, int], line: int | None, window: Window
) -> list[Fault]:
    """Every fault of one record (fields as written, ``lines`` the line of each key)."""
    faults: list[Fault] = []

    def fault(key: str, message: str, rid: str) -> None:
        faults.append(Fault(rid, key, lines.get(key, line), message))

    for key in fields:
        if key in ("__line__", "__lines__"):  # the YAML loader's own
            continue
        if not isinstance(key, str) or key.startswith("__") or len(key) > 40:
            fault("", f"{_show(key)} is not a field name", "")
    extends = fields.get("extends")
    if extends is not None:
        rid = extends if isinstance(extends, str) else ""
        problem = record_id(extends, _kind_of(extends) if isinstance(extends, str) else None)
        if problem:
            fault("extends", problem.replace("'id'", "'extends'"), rid)
            return faults
        rtype = _kind_of(str(extends))
    else:
        rid_value, rtype_value = fields.get("id"), fields.get("type")
        rid = rid_value if isinstance(rid_value, str) else ""
        if not isinstance(rtype_value, str) or rtype_value not in RECORD_TYPES:
            fault("type", f"unknown type {_show(rtype_value)}; one of {sorted(RECORD_TYPES)}", rid)
            return faults
        rtype = rtype_value
        if rid_value is None:
            fault("id", "missing 'id' (kind/short-name, e.g. flow/norway-asgm-2013)", rid)
        else:
            problem = record_id(rid_value, rtype)
            if problem:
                fault("id", problem, rid)
    spec: dict[str, Field] = {**COMMON, **(RECORD_TYPES[rtype].fields if rtype else {})}
    for key, value in fields.items():
        if key in ("id", "type", "extends") or not isinstance(key, str) or key.startswith("__"):
            continue
        if key == "source":
            for message in _sources(value):
                fault(key, message, rid)
            continue
        field_spec = spec.get(key)
        if field_spec is None:
            continue  # the compiler names unknown keys with the type's allowed ones
        for message in value_faults(key, field_spec, value, window):
            fault(key, message, rid)
    return faults
