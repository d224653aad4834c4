"""``mercury-kg query`` and ``mercury-kg sparql``: run named or ad-hoc queries, print results.

Formats: ``table`` (labels instead of IRIs, for a terminal), and the W3C ``csv``, ``tsv`` and
``json`` result formats. ``--endpoint URL`` runs on a remote SPARQL 1.1 endpoint instead of the
embedded store.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from rdflib.term import Node

from graph.query.catalog import (
    CatalogError,
    MissingParam,
    NamedQuery,
    ParamError,
    bind,
    load_catalog,
)
from graph.query.engine import EmbeddedEngine, Engine, QueryError
from graph.query.results import FORMATTERS, Result, iris, to_table

FORMATS = ("table", "csv", "tsv", "json")


def engine_for(endpoint: str | None) -> Engine:
    """The remote engine for an endpoint URL, else the embedded store over the built graph."""
    if endpoint:
        from graph.query.remote import RemoteEngine

        return RemoteEngine(endpoint)
    from graph.compile.build import build_dataset

    return EmbeddedEngine.from_dataset(build_dataset().dataset)


def render(result: Result, fmt: str, engine: Engine) -> str:
    """Serialise a result; the table asks the engine for labels of the IRIs shown."""
    if fmt != "table":
        return FORMATTERS[fmt](result)
    labels = engine.labels(iris(result))
    return to_table(result, labels.get)


def list_queries(catalog: dict[str, NamedQuery]) -> str:
    """One line per query: name, parameters and title."""
    width = max(len(n) for n in catalog)
    lines = []
    for name, q in catalog.items():
        params = " ".join(f"-p {p.name}=<{p.type}>" for p in q.params)
        lines.append(f"{name.ljust(width)}  {q.title}" + (f"  [{params}]" if params else ""))
    return "\n".join(lines) + "\n"


def run_query(
    name: str | None, params: list[str], fmt: str, endpoint: str | None, show_list: bool
) -> int:
    """``mercury-kg query``; returns the exit code."""
    try:
        catalog = load_catalog()
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if show_list or not name:
        sys.stdout.write(list_queries(catalog))
        return 0
    if name not in catalog:
        print(f"error: no query named {name!r}; see mercury-kg query --list", file=sys.stderr)
        return 2
    try:
        values = dict(_split(p) for p in params)
        bindings = bind(catalog[name], values)
    except MissingParam as exc:
        print(f"error: {exc}: give -p {exc.name}={exc.example}", file=sys.stderr)
        return 2
    except ParamError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return _execute(catalog[name].text, bindings, fmt, endpoint)


def run_sparql(text: str | None, file: Path | None, fmt: str, endpoint: str | None) -> int:
    """``mercury-kg sparql``; returns the exit code."""
    if (text is None) == (file is None):
        print("error: give a query or -f FILE, not both", file=sys.stderr)
        return 2
    if file is not None:
        if not file.is_file():
            print(f"error: no such file: {file}", file=sys.stderr)
            return 2
        text = file.read_text(encoding="utf-8")
    return _execute(str(text), {}, fmt, endpoint)


def _execute(text: str, bindings: dict[str, Node], fmt: str, endpoint: str | None) -> int:
    try:
        engine = engine_for(endpoint)
        result = engine.select(text, bindings)
    except QueryError as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return 1
    sys.stdout.write(render(result, fmt, engine))
    return 0


_AT = re.compile(r"(?:error at )?(\d+):(\d+): expected (?:one of )?(.*)", re.DOTALL)
_CLASS = re.compile(r"\[(?:'[^']*'|[^\]'])*\]")
"""A character class of Oxigraph's grammar (``['A' ..= 'Z' | ...]``), quoted characters kept."""


def _one_line(message: str) -> str:
    """A query error in one line: where (line, column), our hint if any, what was expected.

    Oxigraph lists the characters a name may take as Unicode ranges; those become "a name".
    """
    text = message.removeprefix("error: ")
    hint, _sep, parser = text.partition("(the parser: ")
    found = _AT.search(parser or text)
    if found is None:
        return " ".join(text.split())
    line, column, expected = found.groups()
    rest = _CLASS.sub("", expected)
    tokens = re.findall(r'"[^"]*"|[A-Za-z_]+', rest)
    if rest != expected:
        tokens.append("a name")
    said = f"query syntax error at line {line}, column {column}: "
    if parser and hint.strip():
        said += f"{' '.join(hint.split())}; "
    return f"{said}expected {', '.join(tokens) or ' '.join(expected.split())}"


def _split(raw: str) -> tuple[str, str]:
    name, sep, value = raw.partition("=")
    if not sep or not name:
        raise ParamError(f"parameters are written -p name=value, got {raw!r}")
    return name.strip(), value
