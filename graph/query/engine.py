"""Where queries run: the embedded Oxigraph store, or any SPARQL 1.1 endpoint.

On both engines parameters travel the same way: as a ``VALUES`` block serialised from typed RDF
terms (``term.n3()``), placed first in the query's top-level WHERE group
(https://www.w3.org/TR/sparql11-query/#inline-data), so the embedded engine and a remote SPARQL
1.1 endpoint (SPARQLWrapper, https://www.w3.org/TR/sparql11-protocol/) run the identical text. No
request string ever becomes query text: values are parsed into terms first
(graph.query.catalog.bind).
(pyoxigraph's own ``substitutions`` would need each parameter in the SELECT projection.)
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from graph.namespaces import PREFIXES
from graph.oxi import store_from
from graph.query.hints import syntax_hint
from graph.query.results import Result

PREDECLARED: dict[str, str] = {name: str(ns) for name, ns in PREFIXES.items()}
"""The prefixes every query may use without declaring them (its own PREFIX lines win)."""


class QueryError(Exception):
    """A query the engine refused or could not run (the message says why)."""


class Engine(Protocol):
    """Runs SELECT queries with bound parameters."""

    def select(self, text: str, bindings: dict[str, Node] | None = None) -> Result:
        """Run a SELECT query."""
        ...

    def labels(self, iris: list[URIRef], lang: str = "en") -> dict[URIRef, str]:
        """Preferred labels of IRIs in a language (else English), for display."""
        ...


class EmbeddedEngine:
    """An in-memory Oxigraph store over the union of the dataset's graphs."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._labels: dict[URIRef, dict[str, str]] | None = None

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> EmbeddedEngine:
        """Load an rdflib dataset (every named graph)."""
        return cls(store_from(dataset.quads((None, None, None, None))))  # type: ignore[arg-type]

    def _query(self, text: str, bindings: dict[str, Node] | None) -> object:
        """Run with the bindings as VALUES; SyntaxError and OSError become QueryError."""
        try:
            return self.store.query(
                with_values(text, dict(bindings or {})),
                use_default_graph_as_union=True,
                prefixes=PREDECLARED,
            )
        except SyntaxError as exc:
            hint = syntax_hint(text)
            raise QueryError(f"{hint}\n(the parser: {exc})" if hint else str(exc)) from exc
        except (OSError, ValueError) as exc:
            raise QueryError(str(exc)) from exc

    def select(self, text: str, bindings: dict[str, Node] | None = None) -> Result:
        """Run a SELECT query; rows keep Oxigraph's terms until read."""
        result = self._query(text, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("only SELECT queries return rows")
        variables = tuple(v.value for v in result.variables)
        rows = tuple(tuple(sol) for sol in result)  # values in variable order, None if unbound
        return Result(variables, rows)

    def construct(self, text: str, bindings: dict[str, Node] | None = None) -> list[ox.Triple]:
        """Run a CONSTRUCT (or DESCRIBE) query; return Oxigraph triples."""
        result = self._query(text, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        return list(result)

    def labels(self, iris: list[URIRef], lang: str = "en") -> dict[URIRef, str]:
        """Labels from skos:prefLabel, else rdfs:label, in ``lang``, else in English.

        Read once, then cached; ``pick_label`` chooses among the languages.
        """
        if self._labels is None:
            self._labels = {}
            for prop in (SKOS.prefLabel, RDFS.label):  # prefLabel first: it wins a tie
                for quad in self.store.quads_for_pattern(None, ox.NamedNode(str(prop)), None):
                    if isinstance(quad.subject, ox.NamedNode) and isinstance(
                        quad.object, ox.Literal
                    ):
                        names = self._labels.setdefault(URIRef(quad.subject.value), {})
                        names.setdefault(quad.object.language or "", quad.object.value)
        return {i: pick_label(self._labels[i], lang) for i in iris if i in self._labels}


def pick_label(names: dict[str, str], lang: str = "en") -> str:
    """The name in ``lang`` (``zh`` also takes ``zh-Hans``), else English, else untagged, else any.

    >>> pick_label({"en": "China", "zh": "中国"}, "zh"), pick_label({"en": "China"}, "ar")
    ('中国', 'China')
    """
    lang = lang.lower()
    for wanted in (lang, lang.split("-")[0], "en", ""):
        for tag, name in names.items():
            if tag.lower() == wanted or (wanted and tag.lower().startswith(wanted + "-")):
                return name
    return next(iter(names.values()))


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def with_values(text: str, bindings: dict[str, Node | list[Node]]) -> str:
    """Put ``VALUES ?p { term ... }`` first in the top-level WHERE group (see test_queries)."""
    if not bindings:
        return text
    where = _where_end(text)
    if where is None:
        raise QueryError("a parameterised query needs an explicit WHERE { ... } clause")
    block = " ".join(
        f"VALUES ?{k} {{ {' '.join(t.n3() for t in (v if isinstance(v, list) else [v]))} }}"
        for k, v in sorted(bindings.items())
    )
    return f"{text[:where]} {block}{text[where:]}"


@lru_cache(maxsize=512)
def _where_end(text: str) -> int | None:
    """Offset just after the top-level ``WHERE {`` (cached: named queries are few)."""
    match = _WHERE.search(_blank_comments(text))
    return None if match is None else match.end()


def _blank_comments(text: str) -> str:
    """Replace comment lines by spaces of the same length (keeps offsets)."""
    return "\n".join(
        " " * len(line) if line.lstrip().startswith("#") else line for line in text.split("\n")
    )


def with_prologue(text: str) -> str:
    """The query with a PREFIX line for each predeclared prefix it uses but does not declare.

    For endpoints that predeclare nothing; the embedded engine passes the map to Oxigraph.

    >>> with_prologue("SELECT * { ?a a gmp:PartnershipArea }").splitlines()[0]
    'PREFIX gmp: <https://w3id.org/mercury-kg/def#>'
    >>> with_prologue("PREFIX gmp: <x:> ASK {}")
    'PREFIX gmp: <x:> ASK {}'
    """
    declared = set(re.findall(r"(?i)\bPREFIX\s+([\w.-]*):", text))
    used = set(re.findall(r"(?<![\w<\"'/#?.-])([A-Za-z][\w.-]*):", text))
    lines = [
        f"PREFIX {name}: <{ns}>"
        for name, ns in PREDECLARED.items()
        if name in used and name not in declared
    ]
    return "\n".join([*lines, text]) if lines else text
