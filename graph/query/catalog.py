"""The catalogue of named SPARQL queries: ``queries/*.rq`` files with a ``#+`` YAML header.

Header keys (grlc-style, https://github.com/CLARIAH/grlc#decorator-syntax): ``title``,
``description``, ``params`` (each ``{name, type, example, description, optional}``), ``returns``
(the result columns), ``tags``. Every query is compiled once when the catalogue loads (parsed and
run on an empty store with its example parameters), so a broken file fails at start-up, not at
request time. Parameter values become typed RDF terms (``bind``); they are never pasted into text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph import paths
from graph.namespaces import GMPD, PREFIXES, curie_to_iri

PARAM_TYPES = ("iri", "string", "integer", "decimal", "date", "year")
_HEADER_KEYS = {"title", "description", "params", "returns", "tags"}


class CatalogError(Exception):
    """A query file that is malformed (names the file)."""


class ParamError(ValueError):
    """A parameter value that does not fit its declared type."""


class MissingParam(ParamError):
    """A required parameter that was not given (``name``, with an ``example`` value)."""

    def __init__(self, query: str, name: str, example: str) -> None:
        super().__init__(f"query {query!r} needs parameter {name!r} (e.g. {example})")
        self.name, self.example = name, example


@dataclass(frozen=True)
class Param:
    """One declared parameter of a named query."""

    name: str
    type: str
    example: str
    description: str = ""
    optional: bool = False


@dataclass(frozen=True)
class NamedQuery:
    """A named query: metadata, the SPARQL text, and whether its rows are ordered."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    returns: tuple[str, ...]
    tags: tuple[str, ...]
    text: str
    path: Path

    @property
    def ordered(self) -> bool:
        """True when the query sorts its rows (ORDER BY at the top level)."""
        return bool(re.search(r"\bORDER\s+BY\b", _strip_comments(self.text), re.IGNORECASE))

    def example_values(self) -> dict[str, str]:
        """The example value of every parameter."""
        return {p.name: p.example for p in self.params}


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def parse_file(path: Path) -> NamedQuery:
    """Read one ``.rq`` file into a NamedQuery (not yet compiled)."""
    text = path.read_text(encoding="utf-8")
    header = "\n".join(
        line.removeprefix("#+").removeprefix(" ")
        for line in text.splitlines()
        if line.startswith("#+")
    )
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: header is not YAML: {exc}") from exc
    if not isinstance(meta, dict) or not {"title", "description", "returns"} <= set(meta):
        raise CatalogError(f"{path}: header needs title, description and returns")
    unknown = set(meta) - _HEADER_KEYS
    if unknown:
        raise CatalogError(f"{path}: unknown header keys {sorted(unknown)}")
    params = tuple(_param(path, p) for p in meta.get("params") or [])
    for p in params:
        if not re.search(rf"[?$]{re.escape(p.name)}\b", _strip_comments(text)):
            raise CatalogError(f"{path}: parameter {p.name!r} is not used as ?{p.name}")
    return NamedQuery(
        name=path.stem,
        title=str(meta["title"]),
        description=" ".join(str(meta["description"]).split()),
        params=params,
        returns=tuple(str(r) for r in meta["returns"]),
        tags=tuple(str(t) for t in meta.get("tags") or []),
        text=text,
        path=path,
    )


def _param(path: Path, raw: Any) -> Param:
    if not isinstance(raw, dict) or not {"name", "type", "example"} <= set(raw):
        raise CatalogError(f"{path}: each param needs name, type and example: {raw!r}")
    if raw["type"] not in PARAM_TYPES:
        raise CatalogError(f"{path}: param type {raw['type']!r} is not one of {PARAM_TYPES}")
    return Param(
        name=str(raw["name"]),
        type=str(raw["type"]),
        example=str(raw["example"]),
        description=str(raw.get("description", "")),
        optional=bool(raw.get("optional", False)),
    )


def bind(query: NamedQuery, values: dict[str, str]) -> dict[str, Node]:
    """Turn raw parameter strings into typed RDF terms.

    Raises:
        ParamError: an unknown or missing parameter, or a value not of the declared type.
    """
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise ParamError(
            f"query {query.name!r} has no parameter {', '.join(unknown)}; "
            f"it takes: {', '.join(declared) or 'none'}"
        )
    out: dict[str, Node] = {}
    for p in query.params:
        if p.name not in values:
            if not p.optional:
                raise MissingParam(query.name, p.name, p.example)
            continue
        out[p.name] = to_term(p, values[p.name])
    return out


def to_term(param: Param, raw: str) -> Node:
    """One value as a term of the parameter's type, or a ParamError that says what is expected."""
    value = raw.strip()
    hint = f"parameter {param.name!r} ({param.type}, e.g. {param.example!r})"
    try:
        if param.type == "iri":
            return _iri(value, hint)
        if param.type == "string":
            if not value or len(value) > 500:
                raise ParamError(f"{hint}: expected 1 to 500 characters")
            return Literal(value)
        if param.type == "integer":
            return Literal(int(value), datatype=XSD.integer)
        if param.type == "decimal":
            return Literal(Decimal(value), datatype=XSD.decimal)
        if param.type == "date":
            return Literal(date.fromisoformat(value), datatype=XSD.date)
        if param.type == "year":
            if not re.fullmatch(r"\d{4}", value):
                raise ParamError(f"{hint}: expected a four-digit year, got {raw!r}")
            return Literal(value, datatype=XSD.gYear)
    except (ValueError, InvalidOperation) as exc:
        if isinstance(exc, ParamError):
            raise
        raise ParamError(f"{hint}: {raw!r} is not a valid {param.type}") from exc
    raise ParamError(f"{hint}: unsupported type")


def parse_iri(value: str, hint: str) -> URIRef:
    """Full http(s) IRI, a CURIE with a known prefix, or a data id like ``area/coal``.

    Raises:
        ParamError: naming ``hint``, when the value is none of these.
    """
    return _iri(value, hint)


def _iri(value: str, hint: str) -> URIRef:
    """Full http(s) IRI, a CURIE with a known prefix, or a data id like ``area/coal``."""
    if re.search(r"[\s<>\"{}|\\^`\x00-\x1f\x7f-\x9f]", value):
        raise ParamError(
            f"{hint}: {value!r} is not an IRI (no spaces, control characters, <, >, quotes or"
            " braces)"
        )
    if re.fullmatch(r"https?://\S+", value):
        return _checked(URIRef(value), hint)
    if ":" in value:
        iri = curie_to_iri(value)
        if iri is None:
            raise ParamError(f"{hint}: unknown prefix in {value!r}; known: {', '.join(PREFIXES)}")
        return _checked(URIRef(iri), hint)
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9.-]*)+", value):
        return GMPD[value]
    raise ParamError(f"{hint}: {value!r} is not an IRI, a prefix:name or a data id like area/coal")


def _checked(iri: URIRef, hint: str) -> URIRef:
    """The IRI if the engine's own IRI parser (RFC 3987) accepts it."""
    try:
        ox.NamedNode(str(iri))
    except ValueError:
        raise ParamError(f"{hint}: {str(iri)!r} is not a valid IRI") from None
    return iri


def compile_query(query: NamedQuery) -> None:
    """Parse and run the query with its examples on an empty store; check its columns.

    Raises:
        CatalogError: a syntax error, or result columns that differ from ``returns``.
    """
    from graph.query.engine import with_values

    text = with_values(query.text, dict(bind(query, query.example_values())))
    try:
        result = ox.Store().query(text)
    except SyntaxError as exc:
        raise CatalogError(f"{query.path}: {exc}") from exc
    if not isinstance(result, ox.QuerySolutions):
        raise CatalogError(f"{query.path}: named queries are SELECT queries")
    columns = tuple(v.value for v in result.variables)
    if columns != query.returns:
        raise CatalogError(
            f"{query.path}: returns {list(query.returns)} but selects {list(columns)}"
        )


def load_catalog(directory: Path = paths.QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every named query in the folder (not its sub-folders), compiled."""
    catalog = {}
    for path in sorted(directory.glob("*.rq")):
        query = parse_file(path)
        compile_query(query)
        catalog[query.name] = query
    return catalog


@cache
def support(name: str) -> NamedQuery:
    """A support query of ``queries/support`` (the service's pages and network links use them).

    Each is read and parsed once: the folder is a fixed set, and a page asks for several.
    """
    return parse_file(paths.QUERIES_DIR / "support" / f"{name}.rq")
