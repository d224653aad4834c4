"""Build the knowledge graph: ontology + curated data + provenance + derived shortcuts.

``build_dataset()`` is the one entry point the CLI, the tests and the service use. It is pure (reads
the source folders, writes nothing); ``write_outputs()`` writes the dumps atomically. Named graphs
(RDF 1.1 datasets, https://www.w3.org/TR/rdf11-datasets/): ``graph:ontology``, one
``graph:<file>`` per curated data file, ``graph:provenance`` (passages and the source
text) and ``graph:derived`` (rule output).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from graph import paths
from graph.compile.compiler import compile_files
from graph.compile.names import describe as describe_names
from graph.compile.names import standard_names
from graph.compile.passages import REPORT, SourceText
from graph.compile.regions import RegionDataError, containment
from graph.compile.regions import describe as describe_regions
from graph.compile.structure import StructureError, document_structure
from graph.compile.structure import describe as describe_structure
from graph.compile.triples import Triples
from graph.compile.yamlsource import DataError, DataParseError, load_records
from graph.namespaces import GMPD, PREFIXES
from graph.oxi import construct, store_from

ONTOLOGY_GRAPH = GMPD["graph/ontology"]
PROVENANCE_GRAPH = GMPD["graph/provenance"]
DERIVED_GRAPH = GMPD["graph/derived"]


@dataclass
class Build:
    """A built dataset and where each curated subject came from."""

    dataset: Dataset
    subjects: dict[URIRef, tuple[str, int]]

    def abox(self) -> Graph:
        """All data graphs (everything but the ontology) merged into one graph."""
        merged = Graph()
        for ctx in self.dataset.graphs():
            if ctx.identifier != ONTOLOGY_GRAPH:
                for triple in ctx:
                    merged.add(triple)
        return merged

    def ontology(self) -> Graph:
        """The ontology graph."""
        return self.dataset.graph(ONTOLOGY_GRAPH)


def new_dataset() -> Dataset:
    """An empty dataset with the project's prefixes bound."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True, replace=True)
    return ds


def load_ontology(directory: Path = paths.ONTOLOGY_DIR) -> Graph:
    """Parse every ``*.ttl`` in the ontology folder."""
    graph = Graph()
    for path in sorted(directory.glob("*.ttl")):
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser exception types
            raise DataParseError(path, _line_of(exc), f"Turtle syntax: {exc}") from exc
    return graph


def _line_of(exc: Exception) -> int | None:
    """Best-effort line number from an rdflib parser error."""
    line = getattr(exc, "lines", None) or getattr(exc, "line", None)
    return int(line) if isinstance(line, int) else None


def data_files(directory: Path = paths.DATA_DIR) -> list[Path]:
    """The curated data files, in a stable order."""
    return sorted(directory.glob("*.yaml"))


def build_dataset(
    files: list[Path] | None = None,
    *,
    ontology_dir: Path = paths.ONTOLOGY_DIR,
    source_path: Path = paths.SOURCE_TEXT,
    rules_dir: Path = paths.RULES_DIR,
) -> Build:
    """Compile ontology and data into a dataset.

    Raises:
        DataError: a record is wrong (message names file, line and record).
        DataParseError: a file does not parse.
    """
    ontology = load_ontology(ontology_dir)
    vocabulary = {s for s in ontology.subjects() if isinstance(s, URIRef)}
    source = SourceText(source_path)
    files = data_files() if files is None else files
    compiled = compile_files(files, load_records, source, vocabulary)
    compiled.graphs["names"] = standard_names(compiled.graphs)
    try:
        compiled.graphs["structure"] = document_structure(source, compiled.graphs["provenance"])
    except StructureError as exc:
        raise DataError("graph/source/structure.yaml", 0, str(exc)) from exc
    try:
        compiled.graphs["regions"] = containment(compiled.graphs)
    except RegionDataError as exc:
        file, line = compiled.subjects.get(exc.node, ("graph/data/places.yaml", 0))  # type: ignore[call-overload]
        raise DataError(file, line, f"record {exc.node}: {exc}") from exc

    ds = new_dataset()
    onto_graph = ds.graph(ONTOLOGY_GRAPH)
    for triple in ontology:
        onto_graph.add(triple)
    provenance = compiled.graphs["provenance"]
    quads: list[tuple[object, object, object, URIRef]] = [(*t, ONTOLOGY_GRAPH) for t in ontology]
    for key, triples in compiled.graphs.items():
        name = GMPD[f"graph/{key}"]
        target = ds.graph(name)
        for triple in triples:
            target.add(triple)
            quads.append((*triple, name))
        if key == "names":
            describe_names(provenance, name)
        elif key == "regions":
            describe_regions(provenance, name)
        elif key == "structure":
            describe_structure(provenance, name)
        elif key not in ("provenance", "time"):
            _describe_graph(provenance, name, f"graph/data/{key}.yaml")
    ds.graph(PROVENANCE_GRAPH).addN((*t, ds.graph(PROVENANCE_GRAPH)) for t in provenance)
    derived = ds.graph(DERIVED_GRAPH)
    store = store_from(quads)  # type: ignore[arg-type]
    for rule in sorted(rules_dir.glob("*.rq")):
        for triple in construct(store, rule.read_text(encoding="utf-8")):
            derived.add(triple)
    _describe_graph_rules(ds.graph(PROVENANCE_GRAPH))
    return Build(ds, compiled.subjects)


def _describe_graph(out: Triples, name: URIRef, file: str) -> None:
    out.add(name, RDF.type, PROV.Entity)
    out.add(name, RDFS.label, Literal(f"Facts curated in {file}", lang="en"))
    out.add(name, DCTERMS.source, Literal(file))
    out.add(name, PROV.wasDerivedFrom, REPORT)


def _describe_graph_rules(graph: Graph) -> None:
    graph.add((DERIVED_GRAPH, RDF.type, PROV.Entity))
    graph.add(
        (DERIVED_GRAPH, RDFS.label, Literal("Shortcuts derived by graph/rules/*.rq", lang="en"))
    )
    graph.add((DERIVED_GRAPH, DCTERMS.source, Literal("graph/rules")))
    graph.add((ONTOLOGY_GRAPH, RDF.type, PROV.Entity))
    graph.add((ONTOLOGY_GRAPH, RDFS.label, Literal("The mercury-kg ontology", lang="en")))
    graph.add((ONTOLOGY_GRAPH, DCTERMS.source, Literal("ontology")))
    time_graph = GMPD["graph/time"]
    graph.add((time_graph, RDF.type, PROV.Entity))
    graph.add(
        (time_graph, RDFS.label, Literal("Time instants and intervals (OWL-Time)", lang="en"))
    )


def class_counts(build: Build) -> Counter[str]:
    """Instances per class (qualified names), over the data graphs."""
    counts: Counter[str] = Counter()
    nm = build.dataset.namespace_manager
    for ctx in build.dataset.graphs():
        if ctx.identifier == ONTOLOGY_GRAPH:
            continue
        for _, cls in ctx.subject_objects(RDF.type):
            counts[cls.n3(nm)] += 1
    return counts


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write a file so that readers see the old or the new content, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(tmp, path)


def write_outputs(build: Build, out_dir: Path = paths.BUILD_DIR) -> list[Path]:
    """Write the dataset (TriG, N-Quads), the subject index and statistics; return the paths."""
    written = []
    for name, fmt in (("mercury-kg.trig", "trig"), ("mercury-kg.nq", "nquads")):
        text = build.dataset.serialize(format=fmt)
        atomic_write(out_dir / name, text)
        written.append(out_dir / name)
    rel = {str(s): {"file": relative_path(f), "line": n} for s, (f, n) in build.subjects.items()}
    atomic_write(out_dir / "sources.json", json.dumps(rel, indent=1, sort_keys=True))
    stats = {"triples": len(build.dataset), "classes": dict(sorted(class_counts(build).items()))}
    atomic_write(out_dir / "stats.json", json.dumps(stats, indent=1))
    written += [out_dir / "sources.json", out_dir / "stats.json"]
    return written


def relative_path(file: str | int) -> str:
    """A path relative to the repository root where possible."""
    try:
        return str(Path(str(file)).resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(file)
