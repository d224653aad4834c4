"""One revision of the published graph, and how the next is made from it.

The published graph is the curated build plus every accepted submission in its own named graph
(RDF 1.1 datasets, https://www.w3.org/TR/rdf11-datasets/). ``compose`` makes a revision from the
baseline and a list of accepted submissions; ``advance`` makes the next revision from the
previous one with one accepted graph added, updating in place the views the gate uses (the
merged data graph, its subjects, the gate's index), which is far cheaper than composing anew.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, URIRef

from graph.compile.build import Build, new_dataset
from graph.contrib import workflow
from graph.contrib.gate import Index
from graph.contrib.nquads import load as _load
from graph.contrib.nquads import quads_of as _quads
from graph.contrib.periods import Period, held
from graph.namespaces import GMPD


@dataclass(frozen=True)
class Published:
    """One revision of the published graph."""

    revision: int
    build: Build
    modified: str | None = None
    """When the last accept or retract happened."""
    _abox: list[Graph] = field(default_factory=list)
    _index: list[Index] = field(default_factory=list)
    _subjects: list[set[URIRef]] = field(default_factory=list)

    def index(self) -> Index:
        """The gate's index of this revision (made once)."""
        if not self._index:
            self._index.append(Index(self.abox(), self.build.ontology()))
        return self._index[0]

    def abox(self) -> Graph:
        """The data graphs merged (made once per revision; callers must not change it)."""
        if not self._abox:
            self._abox.append(self.build.abox())
        return self._abox[0]

    def periods(self) -> list[Period]:
        """The reporting periods of this revision, the earliest first."""
        return held(self.abox())

    def subjects(self) -> set[URIRef]:
        """Every IRI subject of the data graphs (made once)."""
        if not self._subjects:
            self._subjects.append({s for s in self.abox().subjects() if isinstance(s, URIRef)})
        return self._subjects[0]


def compose(baseline: Build, subs: list[workflow.Submission], copy: bool = False) -> Build:
    """The baseline with the submissions' graphs added.

    With no submissions that is the baseline itself, unless ``copy`` asks for a copy.
    """
    if not subs and not copy:
        return baseline
    ds = new_dataset()
    for quad in baseline.dataset.quads((None, None, None, None)):
        s, p, o, g = quad
        ds.graph(g).add((s, p, o))
    for sub in subs:
        _load(ds, sub.nquads)
    subjects = dict(baseline.subjects)
    for sub in subs:
        for rid in sub.records:
            subjects[GMPD[rid]] = (f"submission {sub.id}", 0)
    return Build(ds, subjects)


def advance(baseline: Build, before: Published, sub: workflow.Submission) -> Published:
    """The next revision from the previous one, the accepted graph added (the ledger's lock held).

    Cheaper than composing from the baseline: only the new triples are added to the views
    the gate uses. The baseline itself is never changed (it is copied the first time).
    """
    build = before.build
    if build is baseline:
        build = compose(baseline, [], copy=True)
    quads = _quads(sub.nquads)
    for s, p, o, g in quads:
        build.dataset.graph(g).add((s, p, o))
    for rid in sub.records:
        build.subjects[GMPD[rid]] = (f"submission {sub.id}", 0)
    after = Published(sub.revision or 0, build, sub.reviewed)
    if before._abox:
        abox = before._abox[0]
        for s, p, o, _g in quads:
            abox.add((s, p, o))
        after._abox.append(abox)
    if before._subjects:
        after._subjects.append(
            before._subjects[0] | {q[0] for q in quads if isinstance(q[0], URIRef)}
        )
    if before._index:
        before._index[0].add(quads)
        after._index.append(before._index[0])
    return after
