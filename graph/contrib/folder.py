"""Accepted contributions as curated files: ``graph/data/contributions/<id>.yaml``.

``export_accepted`` writes each accepted submission as it was sent, plus a ``submission:`` block
saying who sent it for which organisation, when, and who accepted it when, with the reviewer's
decisions on money reported twice (``money_decisions``; one sent as RDF is
written as its published, attributed graph in N-Quads, ``<id>.nq``); committed to the
repository, these files stay the record. ``with_folder`` compiles such a folder into a build,
each file into the named graph its submission was published in, with the same IRIs and the
same PROV-O attribution as the live write path, so a graph rebuilt from the files equals the
one the service published.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import yaml
from rdflib import Dataset, URIRef

from graph import paths
from graph.compile.build import Build, new_dataset
from graph.compile.yamlsource import BOOKKEEPING, DataError, parse_yaml
from graph.contrib import workflow
from graph.contrib.accounts import Account
from graph.contrib.intake import RDF_TYPES, media_kind, read, shape
from graph.contrib.money import decisions_in
from graph.contrib.nquads import graph_of, triples_of
from graph.contrib.submission import (
    SubmissionError,
    compile_submission,
    graph_iri,
    submission_iri,
)
from graph.namespaces import GMP, GMPD

FOLDER = paths.DATA_DIR / "contributions"
META = (
    "id",
    "organisation",
    "account",
    "received",
    "accepted",
    "reviewer",
    "reviewer_organisation",
)
"""Keys of a contribution's ``submission`` block; ``account_name`` and ``reviewer_name`` (the
names their accounts were given, which label them in the graph) are there when given, and
``revision`` (the published revision its acceptance made: the files are read in that order)."""


def export_accepted(conn: sqlite3.Connection, target: Path) -> list[Path]:
    """Write every accepted submission to ``target/<id>.yaml``; return the files written."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    rows = conn.execute("SELECT id, org, name FROM accounts").fetchall()
    reviewers = {r["id"]: r["org"] for r in rows}
    names = {r["id"]: r["name"] for r in rows}
    for sub in workflow.accepted(conn):
        if media_kind(sub.media_type) in RDF_TYPES:
            path = target / f"{sub.id}.nq"  # RDF as sent has no record format: the graph itself
            tmp = path.with_suffix(".nq.tmp")
            tmp.write_bytes(sub.nquads)
            tmp.replace(path)
            written.append(path)
            continue
        doc = dict(read(sub.body, sub.media_type).doc or {})
        doc.pop("organisation", None)
        meta = {
            "id": sub.id,
            "organisation": _short(sub.org),
            "account": sub.account,
            "received": sub.received,
            "accepted": sub.reviewed,
            "revision": sub.revision,
            "reviewer": sub.reviewer,
            "reviewer_organisation": _short(reviewers.get(sub.reviewer or "", "")),
        }
        for key, account in (("account_name", sub.account), ("reviewer_name", sub.reviewer)):
            if names.get(account or ""):
                meta[key] = names[account or ""]
        period = _reporting_period(sub)
        if period:
            meta["reporting_period"] = period
        decided: dict[str, Any] = dict(meta)
        decisions = decisions_in(graph_of(sub.nquads))
        if decisions:  # the reviewer's, on money that may be reported twice
            decided["money_decisions"] = [
                {"flow": a, "other": b, "decision": "same" if same else "different"}
                for (a, b), same in sorted(decisions.items())
            ]
        header = (
            f"# Contribution {sub.id}, accepted into the published graph"
            f" (revision {sub.revision}).\n"
            "# Written by 'mercury-kg submissions export'; 'build' compiles it like the report's\n"
            "# facts: every 'source' quotes 'text', the submitter's words.\n"
        )
        body = yaml.safe_dump(
            {"submission": decided, **doc}, sort_keys=False, allow_unicode=True, width=100
        )
        path = target / f"{sub.id}.yaml"
        tmp = path.with_suffix(".yaml.tmp")
        tmp.write_text(header + body, encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    return written


def with_folder(build: Build, folder: Path = FOLDER) -> Build:
    """``build`` plus the contributions of ``folder`` (unchanged if it holds none).

    Raises:
        DataError: a file that does not parse or compile (naming the file, record and field).
    """
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    graphs = sorted(folder.glob("*.nq")) if folder.is_dir() else []
    if not files and not graphs:
        return build
    ds = new_dataset()
    for s, p, o, g in build.dataset.quads((None, None, None, None)):
        ds.graph(g).add((s, p, o))
    subjects = dict(build.subjects)
    vocabulary = {s for s in build.ontology().subjects() if isinstance(s, URIRef)}
    known = {s for s, _p, _o, _g in build.dataset.quads((None, None, None, None))}
    published = {s for s in known if isinstance(s, URIRef)}
    data = build.abox()
    read = [(path, *_read(path)) for path in files]
    # in the order they were accepted: a record may name one a submission accepted before made
    read.sort(key=lambda r: (_order(r[2].get("revision", "")), r[0].name))
    for path, doc, meta, money in read:
        try:
            period = GMPD[meta["reporting_period"]] if meta.get("reporting_period") else None
            compiled = compile_submission(doc, meta["id"], published, vocabulary, data, period)
        except SubmissionError as exc:
            raise DataError(path, exc.problems[0].line, str(exc)) from exc
        sub = workflow.Submission(
            meta["id"],
            meta["account"],
            str(GMPD[meta["organisation"]]),
            meta["received"],
            "application/yaml",
            b"",
            b"",
            compiled.records,
            {},
            "accepted",
            meta["reviewer"],
            meta["accepted"],
            None,
            None,
        )
        reviewer = Account(
            meta["reviewer"],
            str(GMPD[meta["reviewer_organisation"]]),
            "secretariat",
            str(meta.get("reviewer_name") or ""),
            "",
            None,
        )
        graph = ds.graph(graph_iri(meta["id"]))
        for triple in compiled.triples:
            graph.add(triple)
        extra = Dataset()
        extra.parse(
            data=workflow.attribution(
                sub, reviewer, meta["accepted"], str(meta.get("account_name") or "")
            ).decode(),
            format="nquads",
        )
        extra.parse(
            data=workflow.decided(sub, reviewer, meta["accepted"], money).decode(), format="nquads"
        )
        for s, p, o, _g in extra.quads((None, None, None, None)):
            graph.add((s, p, o))
        for rid in compiled.records:
            subjects[GMPD[rid]] = (str(path), 0)
            published.add(GMPD[rid])
    for path in graphs:  # accepted RDF submissions, attributed, as published
        try:
            ds.parse(path, format="nquads")
        except Exception as exc:  # rdflib raises many parser exception types
            raise DataError(path, None, f"not N-Quads: {exc}") from exc
    return Build(ds, subjects)


def _reporting_period(sub: workflow.Submission) -> str | None:
    """The id of the reporting period a stored submission is on (from its compiled triples)."""
    for s, p, o in triples_of(sub.nquads):
        if s == submission_iri(sub.id) and p == GMP.reportingPeriod:
            return _short(str(o))
    return None


def _read(path: Path) -> tuple[dict[str, Any], dict[str, str], dict[tuple[str, str], bool]]:
    raw = parse_yaml(path.read_text(encoding="utf-8"), path)
    if not isinstance(raw, dict) or not isinstance(raw.get("submission"), dict):
        raise DataError(path, 1, "a contribution file starts with a 'submission:' block")
    block = raw.pop("submission")
    money = _decisions(path, block.pop("money_decisions", None) or [])
    meta = {k: str(v) for k, v in block.items() if k not in BOOKKEEPING}
    missing = [k for k in META if not meta.get(k)]
    if missing:
        raise DataError(path, 1, f"'submission' lacks {', '.join(missing)}")
    for key in BOOKKEEPING:
        raw.pop(key, None)
    try:
        doc = shape(_plain(raw))
    except SubmissionError as exc:
        raise DataError(path, None, str(exc)) from exc
    return doc, meta, money


def _decisions(path: Path, listed: Any) -> dict[tuple[str, str], bool]:
    """``money_decisions``: ``{flow, other, decision: same|different}`` each."""
    out = {}
    for item in listed if isinstance(listed, list) else [listed]:
        if not isinstance(item, dict) or item.get("decision") not in ("same", "different"):
            raise DataError(
                path, None, "'money_decisions' lists {flow, other, decision: same|different}"
            )
        out[(str(item.get("flow")), str(item.get("other")))] = item["decision"] == "same"
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in BOOKKEEPING}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _short(iri: str) -> str:
    return iri.removeprefix(str(GMPD))


def _order(revision: str) -> int:
    """A file's place in the order of acceptance (files without a revision last)."""
    return int(revision) if revision.isdigit() else 10**9
