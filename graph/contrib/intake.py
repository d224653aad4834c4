"""Bytes from outside read into a submission, bounded: what the write path's intake worker runs.

A submission arrives as YAML or JSON in the curated record format, or as Turtle or JSON-LD in the
ontology's terms. Every parser here may meet a stranger's bytes, so the service calls ``read``
only in a worker process with memory, time and depth limits (``service.sandbox``: the intake
pool), where a crash, a stack overflow or a blow-up costs that worker. Bounds, before anything
is built from the bytes:

- YAML: no anchors or aliases (``graph.compile.yamlsource``, strict), so nothing expands;
- JSON: numbers of at most 40 characters (read exactly, as decimals), no NaN or Infinity;
- both: nesting at most ``MAX_DEPTH`` deep, at most ``MAX_VALUES`` values, only mappings with
  text keys, lists, text, numbers, booleans and null;
- JSON-LD: nesting at most ``MAX_JSONLD_DEPTH`` (checked before Oxigraph, whose recursive
  parser overflows its stack on a few thousand levels), no remote context (Oxigraph loads none);
- RDF: at most ``MAX_TRIPLES`` triples, literals within the text caps;
- then every record's fields against their kinds (``graph.compile.screen``), each problem named
  by record, field and line.

The result is an ``Intake``: the parsed document or the triples, which the ledger compiles.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, cast

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from graph.compile import screen
from graph.compile.timevalues import Precise
from graph.compile.yamlsource import BOOKKEEPING, DataError, parse_yaml, strip_lines
from graph.contrib.amounts import settle
from graph.contrib.submission import PLACE, Problem, SubmissionError, record_type_of
from graph.namespaces import GMPD, QUDT, SCHEMA
from graph.oxi import from_ox

YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
JSON_TYPES = ("application/json",)
RDF_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD}
MAX_DEPTH = 12
"""Nesting of a YAML or JSON submission (the record format needs 5)."""
MAX_JSONLD_DEPTH = 64
MAX_VALUES = 50_000
MAX_NUMBER_CHARS = 40
MAX_TRIPLES = 5_000
MAX_TEXT = 100_000
"""Characters of submitted text."""
MAX_RECORDS = 200
KEYS = {"organisation", "text", "records", "period", "title", "number_format"}
"""The keys of a submission document (``number_format``: how its amounts typed as text are
written, ``graph.contrib.amounts``)."""
TOO_LARGE = 413


@dataclass(frozen=True)
class Intake:
    """A submission read from its bytes: the document (YAML, JSON) or the triples (RDF)."""

    media_type: str
    """The media type as sent (stored with the body)."""
    body: bytes
    doc: dict[str, Any] | None = None
    triples: list[tuple[Node, Node, Node]] | None = None


def media_kind(media_type: str) -> str:
    """The media type without parameters, in lower case."""
    return media_type.split(";", 1)[0].strip().lower()


def read(body: bytes, media_type: str, today: date | None = None) -> Intake:
    """Read and bound a submission's bytes.

    Raises:
        SubmissionError: status 415 (type), 413 (too many values or triples) or 422 (bad bytes,
            too deep, or a field not of its kind), with the problems (record, field, line).
    """
    kind = media_kind(media_type)
    if kind in RDF_TYPES:
        triples = _rdf(body, kind)
        _screen_triples(triples)
        return Intake(media_type, body, triples=triples)
    if kind not in (*YAML_TYPES, *JSON_TYPES):
        raise SubmissionError(
            [
                Problem(
                    f"unsupported Content-Type {kind!r}; use one of "
                    + ", ".join((*YAML_TYPES, *JSON_TYPES, *RDF_TYPES))
                )
            ],
            415,
        )
    doc = _document(_text(body), kind)
    _bounded(doc, own_keys=kind in YAML_TYPES)
    return Intake(media_type, body, doc=shape(doc, today))


def _text(body: bytes) -> str:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SubmissionError(
            [Problem(f"the body is not UTF-8 ({exc.reason} at byte {exc.start})")]
        ) from exc
    if "\x00" in text:
        raise SubmissionError([Problem(f"the body holds a NUL character at {text.index(chr(0))}")])
    return text


class _Bound(ValueError):
    """A value past a bound, found while parsing."""


def _json_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Bound(
            f"a number of {len(text):,} digits; numbers have at most {MAX_NUMBER_CHARS} characters"
        )
    return int(text)


def _json_float(text: str) -> Decimal:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Bound(
            f"a number of {len(text):,} characters; numbers have at most {MAX_NUMBER_CHARS}"
        )
    try:
        return Decimal(text)
    except InvalidOperation:
        raise _Bound(f"not a number: {text[:40]!r}") from None


def _json_constant(text: str) -> Any:
    raise _Bound(f"{text} is not a number JSON allows")


def _document(text: str, kind: str, max_depth: int = MAX_DEPTH) -> Any:
    if kind in YAML_TYPES:
        try:
            return parse_yaml(text, PLACE, strict=True)
        except DataError as exc:
            raise SubmissionError([Problem(exc.message, line=exc.line)]) from exc
    try:
        return json.loads(
            text,
            parse_int=_json_int,
            parse_float=_json_float,
            parse_constant=_json_constant,
        )
    except _Bound as exc:
        raise SubmissionError([Problem(f"JSON: {exc}")]) from exc
    except RecursionError as exc:
        raise SubmissionError([Problem(f"JSON: nested more than {max_depth} deep")]) from exc
    except ValueError as exc:  # json.JSONDecodeError, with line and column
        raise SubmissionError([Problem(f"JSON: {exc}")]) from exc


def _bounded(doc: Any, max_depth: int = MAX_DEPTH, own_keys: bool = False) -> None:
    """Depth, size and value types of a parsed document, walked without recursion.

    ``own_keys``: the document comes from the YAML loader, whose ``__line__`` keys are its own;
    elsewhere such a key is refused.
    """
    stack: list[tuple[Any, int]] = [(doc, 1)]
    count = 0
    while stack:
        value, depth = stack.pop()
        count += 1
        if count > MAX_VALUES:
            raise SubmissionError([Problem(f"more than {MAX_VALUES:,} values")], TOO_LARGE)
        if isinstance(value, dict):
            if depth > max_depth:
                raise SubmissionError([Problem(f"nested more than {max_depth} deep")])
            for key, item in value.items():
                if not isinstance(key, str):
                    raise SubmissionError([Problem(f"a key must be text, got {key!r:.60}")])
                if key in BOOKKEEPING and not own_keys:
                    raise SubmissionError([Problem(f"{key!r} is not a field name")])
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            if depth > max_depth:
                raise SubmissionError([Problem(f"nested more than {max_depth} deep")])
            stack.extend((item, depth + 1) for item in value)
        elif value is not None and not isinstance(value, str | int | float | Decimal):
            raise SubmissionError(
                [Problem(f"a value of type {type(value).__name__} is not accepted (use text)")]
            )


def _window(period: Any, today: date) -> screen.Window:
    """The dates a submission's records may take, from the period it names."""
    if period is None:
        return screen.Window(today)
    if not isinstance(period, dict) or not set(period) <= {"from", "to"}:
        raise SubmissionError([Problem("'period' is {from: YYYY-MM, to: YYYY-MM}", field="period")])
    try:
        start = Precise.parse(period["from"]) if period.get("from") is not None else None
        end = Precise.parse(period["to"]) if period.get("to") is not None else None
    except ValueError as exc:
        raise SubmissionError([Problem(str(exc), field="period")]) from exc
    if start is None or end is None:
        raise SubmissionError([Problem("'period' needs both 'from' and 'to'", field="period")])
    if start.earliest() > end.latest():
        raise SubmissionError(
            [
                Problem(
                    f"the period starts ({start.text}) after it ends ({end.text})", field="period"
                )
            ]
        )
    if start.earliest() > today or start.year < 1990:
        raise SubmissionError(
            [Problem(f"a period starting {start.text} is not plausible", field="period")]
        )
    return screen.Window(today, start.earliest(), end.latest())


def shape(doc: Any, today: date | None = None) -> dict[str, Any]:
    """A submission document of the right shape, each record's fields of their kinds.

    Raises:
        SubmissionError: naming the key, or the record, field and line at fault.
    """
    if not isinstance(doc, dict):
        raise SubmissionError([Problem("a submission is a mapping with 'text' and 'records'")])
    found = doc.get("__lines__")
    lines: dict[str, int] = found if isinstance(found, dict) else {}
    shaped: dict[str, Any] = {
        str(k): v if k == "records" else strip_lines(v)
        for k, v in doc.items()
        if k not in BOOKKEEPING
    }
    unknown = sorted(set(shaped) - KEYS)
    if unknown:
        raise SubmissionError(
            [Problem(f"unknown key {unknown[0]!r:.60}; allowed {sorted(KEYS)}", field="key")]
        )
    text = shaped.get("text")
    if not isinstance(text, str) or not text.strip():
        raise SubmissionError(
            [Problem("'text' (your own words, which each source quotes) is required", field="text")]
        )
    problems = [
        Problem(message, field=key, line=lines.get(key))
        for key, message in (
            ("text", screen.text(text, "text", MAX_TEXT)),
            ("title", screen.text(shaped["title"], "title") if "title" in shaped else None),
            (
                "organisation",
                screen.reference(shaped["organisation"], "organisation")
                if "organisation" in shaped
                else None,
            ),
        )
        if message
    ]
    if problems:
        raise SubmissionError(problems)
    records = shaped.get("records")
    if not isinstance(records, list) or not records:
        raise SubmissionError([Problem("'records' must be a non-empty list", field="records")])
    if len(records) > MAX_RECORDS:
        raise SubmissionError(
            [Problem(f"at most {MAX_RECORDS} records per submission", field="records")],
            TOO_LARGE,
        )
    shaped, typed = settle(shaped)
    records = cast(list[Any], shaped["records"])
    window = _window(shaped.get("period"), today or datetime.now(UTC).date())
    # every problem at once: the amounts' readings, then each field's kind (not twice a field)
    faults = [Problem(m, rid, key, line) for rid, key, m, line in typed]
    said = {(rid, key) for rid, key, _m, _line in typed}
    for n, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            faults.append(Problem(f"record {n} must be a mapping, got {record!r:.60}"))
            continue
        for fault in screen.record_faults(
            record,
            record.get("__lines__") or {},
            record.get("__line__") if isinstance(record.get("__line__"), int) else None,
            window,
        ):
            if (fault.record, fault.field) not in said or ".value" not in fault.message:
                faults.append(
                    Problem(fault.message, fault.record or f"#{n}", fault.field, fault.line)
                )
    if faults:
        raise SubmissionError(faults)
    return shaped


def _rdf(body: bytes, kind: str) -> list[tuple[Node, Node, Node]]:
    """The triples of a Turtle or JSON-LD body, at most ``MAX_TRIPLES``."""
    if kind == "application/ld+json":
        doc = _document(_text(body), "application/json", MAX_JSONLD_DEPTH)
        _bounded(doc, MAX_JSONLD_DEPTH, own_keys=True)
    triples: list[tuple[Node, Node, Node]] = []
    try:
        for quad in ox.parse(body, format=RDF_TYPES[kind], base_iri=str(GMPD)):
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                raise SubmissionError(
                    [Problem("send triples, not named graphs: the gate makes the graph")]
                )
            if len(triples) == MAX_TRIPLES:
                raise SubmissionError(
                    [Problem(f"at most {MAX_TRIPLES:,} triples per submission")], TOO_LARGE
                )
            triples.append((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    except (SyntaxError, ValueError, OSError) as exc:
        raise SubmissionError([Problem(f"the body does not parse as {kind}: {exc}")]) from exc
    return triples


NUMBERS = {SCHEMA.value, QUDT.numericValue, SCHEMA.maxValue}


def _screen_triples(triples: list[tuple[Node, Node, Node]]) -> None:
    """Literals within the text caps, amounts and currencies of their kinds, ids well formed."""
    problems: list[Problem] = []
    types: dict[Node, set[Node]] = {}
    for s, p, o in triples:
        if p == RDF.type:
            types.setdefault(s, set()).add(o)
    for s, classes in types.items():
        rtype = record_type_of(classes)
        if isinstance(s, URIRef) and str(s).startswith(str(GMPD)) and rtype is not None:
            subject = str(s).removeprefix(str(GMPD))
            message = screen.record_id(subject, rtype)
            if message:
                problems.append(Problem(message.replace("'id'", "the IRI"), subject, "@id"))
    for s, p, o in triples:
        subject = str(s).removeprefix(str(GMPD))
        if isinstance(o, Literal):
            field = str(p).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            limit = MAX_TEXT if p == SCHEMA.text or field == "exact" else None
            message = screen.text(str(o), field, limit)
            if message is None and p in NUMBERS:
                try:
                    screen.number(str(o), field, signed=p == QUDT.numericValue)
                except ValueError as exc:
                    message = str(exc)
            if message is None and p == SCHEMA.currency:
                message = screen.currency(str(o))
            if message:
                problems.append(Problem(message, subject, field))
    if problems:
        raise SubmissionError(problems[:50])
