"""Compile curated records (graph/data/*.yaml) into RDF triples, one named graph per file.

Each record becomes one node ``gmpd:<id>`` typed by its record type
(``graph.compile.records``), with ``prov:wasDerivedFrom`` to the passages its ``source`` quotes
are found at. Nested values (amounts, quantities) become nodes of their own under the record's
IRI, so the export has no blank nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, TIME, XSD

from graph.compile.passages import SourceText
from graph.compile.records import COMMON, LABEL_ALSO, RECORD_TYPES, Field
from graph.compile.rendering import report_chars
from graph.compile.screen import Window, number, record_faults
from graph.compile.timevalues import Precise, time_value
from graph.compile.triples import Triples
from graph.compile.yamlsource import DataError, Record
from graph.namespaces import GMP, GMPD, QUDT, SCHEMA, curie_to_iri

PERIODS = {
    "year": TIME.unitYear,
    "month": TIME.unitMonth,
    "week": TIME.unitWeek,
    "day": TIME.unitDay,
}
"""``per:`` values -> OWL-Time temporal units (portable, unlike xsd:duration literals)."""
APPROX = {
    "exact": GMP["approx-exact"],
    "about": GMP["approx-about"],
    "almost": GMP["approx-almost"],
}

WHEN_TOO = frozenset({DCTERMS.created, DCTERMS.issued, ORG.memberDuring})
"""Dates stated on their own property that are also given as ``time:hasTime`` (the same time),
so "when" is asked one way of everything dated (``gmps:DatedShape`` keeps it)."""


@dataclass
class Compiled:
    """The output of compiling a set of records."""

    graphs: dict[str, Triples] = field(default_factory=dict)
    """Named-graph key (data file stem, or 'provenance') -> triples."""
    subjects: dict[URIRef, tuple[str, int]] = field(default_factory=dict)
    """Record IRI -> (file, line) where it is curated."""
    refs: list[tuple[URIRef, Record, str]] = field(default_factory=list)
    """Every reference made, to check that it resolves."""


def _decimal(value: object, key: str) -> Decimal:
    """A number written as a number (not a bool, not words), within ``screen.number``'s bounds."""
    return number(value, key, signed=True)


def ref_iri(value: object, record: Record, key: str) -> URIRef:
    """Resolve a reference: a CURIE with a known prefix, else a record id under ``gmpd:``."""
    if not isinstance(value, str) or not value or " " in value:
        raise record.error(f"'{key}' must be an id or prefix:name, got {value!r}")
    if ":" in value:
        iri = curie_to_iri(value)
        if iri is None:
            raise record.error(f"'{key}': unknown prefix in {value!r}")
        return URIRef(iri)
    return GMPD[value]


class Compiler:
    """Turns records into triples; collects errors with the file and line of each record."""

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.result = Compiled()
        self.provenance = self.result.graphs.setdefault("provenance", Triples())
        self.time = self.result.graphs.setdefault("time", Triples())
        """Shared time nodes live in one graph, so no triple is repeated across graphs."""
        source.describe(self.provenance)

    def compile(self, records: list[Record], graph_key: str) -> None:
        """Compile one file's records into the named graph ``graph_key``."""
        out = self.result.graphs.setdefault(graph_key, Triples())
        for record in records:
            self._record(record, out)

    def _record(self, record: Record, out: Triples) -> None:
        f = record.fields
        rid, rtype = f.get("id"), f.get("type")
        if rid is None or rid == "":
            raise record.error("missing 'id'")
        if not isinstance(rid, str):
            raise record.error(f"'id' must be text like flow/my-grant, got {rid!r}", "id")
        spec = RECORD_TYPES.get(str(rtype))
        if spec is None:
            raise record.error(f"unknown type {rtype!r}; one of {sorted(RECORD_TYPES)}")
        node = ref_iri(rid, record, "id")
        if node in self.result.subjects:
            file, line = self.result.subjects[node]
            raise record.error(f"id already used at {file}:{line}")
        self.result.subjects[node] = (str(record.file), record.line)
        allowed = {**COMMON, **spec.fields}
        for key in spec.required:
            if f.get(key) in (None, "", []):
                raise record.error(f"type {rtype} requires '{key}'")
        for cls in spec.classes:
            out.add(node, RDF.type, cls)
        for key, value in f.items():
            if key in ("id", "type"):
                continue
            if key == "source":
                self._sources(node, record, value)
                continue
            if key not in allowed:
                raise record.error(f"unknown key '{key}' for type {rtype}", key)
            self._field(out, node, record, key, allowed[key], value)
        if "label" in f:
            out.add(node, LABEL_ALSO, Literal(report_chars(str(f["label"])), lang="en"))

    def extend(self, record: Record, node: URIRef, rtype: str, graph_key: str) -> list[URIRef]:
        """Compile a record that adds statements to an existing node of type ``rtype``.

        The record has ``extends`` instead of ``id`` and ``type``; its other keys are those of
        the type (not ``label``), and ``source``. Returns the predicates it states.
        """
        out = self.result.graphs.setdefault(graph_key, Triples())
        spec = RECORD_TYPES[rtype]
        allowed = {k: v for k, v in {**COMMON, **spec.fields}.items() if k != "label"}
        stated = []
        for key, value in record.fields.items():
            if key == "extends":
                continue
            if key == "source":
                self._sources(node, record, value)
                continue
            if key not in allowed:
                raise record.error(f"unknown key '{key}' for adding to a {rtype}")
            self._field(out, node, record, key, allowed[key], value)
            stated.append(allowed[key][0])
        if "source" not in record.fields:
            raise record.error("'source' (the words of your text that state it) is required")
        return stated

    def _sources(self, node: URIRef, record: Record, value: Any) -> None:
        items = value if isinstance(value, list) else [value]
        for item in items:
            quote, at = (
                (item.get("quote"), item.get("at")) if isinstance(item, dict) else (item, None)
            )
            if not isinstance(quote, str):
                raise record.error(f"'source' entries are quotes (strings), got {item!r}")
            try:
                passage = self.source.locate(quote, at)
            except ValueError as exc:
                raise record.error(str(exc)) from exc
            self.provenance.add(
                node, PROV.wasDerivedFrom, self.source.add_passage(self.provenance, passage)
            )

    def _field(
        self, out: Triples, node: URIRef, record: Record, key: str, spec: Field, value: Any
    ) -> None:
        predicate, kind = spec
        try:
            for obj in self._values(out, node, record, key, kind, value):
                out.add(node, predicate, obj)
                if predicate in WHEN_TOO and "when" not in record.fields:
                    # one way to ask "when" of every dated thing (OWL-Time), the specific
                    # property kept beside it
                    when = obj if kind == "time" else time_value(self.time, value)
                    out.add(node, TIME.hasTime, when)
        except (ValueError, InvalidOperation, TypeError) as exc:
            raise record.error(f"'{key}': {exc}", key) from exc

    def _values(
        self, out: Triples, node: URIRef, record: Record, key: str, kind: str, value: Any
    ) -> list[Any]:
        many = value if isinstance(value, list) else [value]
        if kind in ("ref", "refs"):
            if kind == "ref" and isinstance(value, list):
                raise ValueError("takes one reference, not a list")
            iris = [ref_iri(v, record, key) for v in many]
            self.result.refs.extend((iri, record, key) for iri in iris)
            return iris
        if kind in ("text", "texts"):
            return [Literal(report_chars(str(v).strip()), lang="en") for v in many]
        if kind == "str":
            if isinstance(value, list):
                raise ValueError("takes one value, not a list")
            return [Literal(report_chars(str(value)))]
        if kind == "strs":
            return [Literal(report_chars(str(v))) for v in many]
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"expected a whole number, got {value!r}")
            return [Literal(value, datatype=XSD.integer)]
        if kind == "decimal":
            return [Literal(_decimal(value, key), datatype=XSD.decimal)]
        if kind == "url":
            bad = [v for v in many if not str(v).startswith(("http://", "https://"))]
            if bad:
                raise ValueError(f"a url must start with http:// or https://, got {bad[0]!r}")
            return [URIRef(str(v)) for v in many]
        if kind == "literal-date":
            return [Precise.parse(value).literal()]
        if kind == "time":
            return [time_value(self.time, value)]
        if kind == "money":
            return [self._amount(out, URIRef(f"{node}/{key}"), value, money=True)]
        if kind == "quantities":
            return [
                self._amount(out, URIRef(f"{node}/{key}-{i + 1}"), v, money=False)
                for i, v in enumerate(many)
            ]
        if kind == "quantity":
            return [self._amount(out, URIRef(f"{node}/{key}"), value, money=False)]
        raise ValueError(f"internal: unknown field kind {kind}")

    def _amount(self, out: Triples, node: URIRef, value: Any, *, money: bool) -> URIRef:
        """A schema:MonetaryAmount or qudt:QuantityValue with approximation and verbatim words."""
        if not isinstance(value, dict):
            raise ValueError("expected a mapping with value, approx and verbatim")
        keys = {"value", "approx", "verbatim"} | (
            {"currency", "per"} if money else {"unit", "unit_text"}
        )
        unknown = set(value) - keys
        if unknown:
            raise ValueError(f"unknown keys {sorted(unknown)}; allowed {sorted(keys)}")
        approx = APPROX.get(str(value.get("approx")))
        if approx is None:
            raise ValueError(f"'approx' must be one of {sorted(APPROX)}")
        if not value.get("verbatim"):
            raise ValueError("'verbatim' (the report's own words) is required")
        number = Literal(_decimal(value.get("value"), "value"), datatype=XSD.decimal)
        if money:
            out.add(node, RDF.type, SCHEMA.MonetaryAmount)
            out.add(node, SCHEMA.value, number)
            out.add(node, SCHEMA.currency, Literal(str(value.get("currency", ""))))
            if approx == APPROX["almost"]:
                out.add(node, SCHEMA.maxValue, number)
            if value.get("per"):
                period = PERIODS.get(str(value["per"]))
                if period is None:
                    raise ValueError(f"'per' must be one of {sorted(PERIODS)}")
                out.add(node, GMP.perPeriod, period)
        else:
            out.add(node, RDF.type, QUDT.QuantityValue)
            out.add(node, QUDT.numericValue, number)
            if value.get("unit"):
                unit = curie_to_iri(str(value["unit"]))
                if unit is None:
                    raise ValueError(f"unknown unit {value['unit']!r}")
                out.add(node, QUDT.unit, URIRef(unit))
            if value.get("unit_text"):
                out.add(
                    node, SCHEMA.unitText, Literal(report_chars(str(value["unit_text"])), lang="en")
                )
        out.add(node, GMP.approximation, approx)
        out.add(node, GMP.verbatim, Literal(report_chars(str(value["verbatim"]))))
        return node


UNCHECKED_KEYS = frozenset({"same_as", "close_match"})
"""Keys whose values are outside identifiers, not references to curated entities."""


def compile_files(
    files: list[Path], loader: Any, source: SourceText, vocabulary: set[URIRef]
) -> Compiled:
    """Compile data files; raise the first DataError met (file and line included).

    Each record's fields are first checked against their kinds (``graph.compile.screen``).

    Args:
        files: the YAML data files, one named graph each.
        loader: reads a file into records (``graph.compile.yamlsource.load_records``).
        source: the report text that quotes are located in.
        vocabulary: IRIs the ontology defines, which references may also name.
    """
    compiler = Compiler(source)
    window = Window(datetime.now(UTC).date())
    for path in files:
        records = loader(path)
        for record in records:
            for fault in record_faults(record.fields, record.lines, record.line, window):
                raise DataError(
                    record.file, fault.line, f"record {fault.record or '?'!r}: {fault.message}"
                )
        compiler.compile(records, path.stem)
    check_refs(compiler.result, vocabulary)
    return compiler.result


def check_refs(result: Compiled, vocabulary: set[URIRef]) -> None:
    """Every reference must name a record or an ontology term (outside identifiers excepted)."""
    for iri, record, key in result.refs:
        if key in UNCHECKED_KEYS or iri in result.subjects or iri in vocabulary:
            continue
        if not str(iri).startswith(str(GMPD)):
            raise DataError(
                record.file,
                record.line,
                f"record {record.fields.get('id')!r}: '{key}' refers to {str(iri)!r}, "
                "which neither a record nor the ontology defines",
            )
        if iri not in result.subjects:
            raise DataError(
                record.file,
                record.line,
                f"record {record.fields.get('id')!r}: '{key}' refers to "
                f"{str(iri).removeprefix(str(GMPD))!r}, which no record defines",
            )
