"""The ledger: submit, review and publish contributions over one data directory.

``Ledger`` joins the pieces: accounts decide who may act (a partner for its own organisation,
the secretariat to review), ``submission`` compiles, ``gate`` validates against the merged
graph, ``workflow`` keeps the states, and ``published()`` is the curated build plus every
accepted submission in its own named graph (RDF 1.1 datasets,
https://www.w3.org/TR/rdf11-datasets/). Writes are serialised by SQLite; the published view
advances by the accepted graphs when the revision moves (rebuilt in full after a retraction).
A ``gatekeeper`` may run the gate elsewhere (the service runs it in a process of its own).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable
from typing import Any

from rdflib import Graph, URIRef

from graph.check.validate import load_shapes
from graph.compile.build import Build
from graph.contrib import accounts, workflow
from graph.contrib.accounts import Account, Forbidden
from graph.contrib.amounts import word_warnings
from graph.contrib.conversation import Conversation
from graph.contrib.datadir import DataDir
from graph.contrib.gate import Report, check, sentence
from graph.contrib.intake import Intake, read
from graph.contrib.money import open_questions, undecided
from graph.contrib.nquads import graph_of as _graph
from graph.contrib.nquads import nquads_of as _nquads
from graph.contrib.nquads import triples_of as _triples
from graph.contrib.opening import Opening
from graph.contrib.published import Published, advance, compose
from graph.contrib.rdfsubmission import compile_rdf
from graph.contrib.roles import areas_of, claims, deciders
from graph.contrib.signing import Signing
from graph.contrib.submission import Compiled, Problem, SubmissionError, compile_submission
from graph.namespaces import GMP, GMPD

Gatekeeper = Callable[[bytes, list[tuple[str, bytes]]], tuple[int, "Report"]]
"""Gates a submission's N-Quads, with pending ones' (label, N-Quads), on the current revision."""


class GateFailed(ValueError):
    """The merged graph does not conform (HTTP 422); ``report`` holds the results."""

    def __init__(self, report: Report, sentence: str) -> None:
        self.report = report
        super().__init__(sentence)


class Ledger(Signing, Opening, Conversation):
    """Contributions over a data directory, on top of the curated ``baseline``."""

    def __init__(self, datadir: DataDir, baseline: Build) -> None:
        self.datadir = datadir
        self.baseline = baseline
        self.conn = datadir.connect()
        self._lock = threading.RLock()
        self._published: Published | None = None
        self._vocabulary = {s for s in baseline.ontology().subjects() if isinstance(s, URIRef)}
        self._shapes = load_shapes()
        self._verified = accounts.Verified()
        self._parsed: dict[tuple[str, bytes], Graph] = {}
        """Pending submissions' graphs, by label and digest of their N-Quads."""
        self.gatekeeper: Gatekeeper | None = None
        """Runs the gate elsewhere (the service's own process for it); None: in this process."""

    def close(self) -> None:
        """Close the state database."""
        with self._lock:
            self.conn.close()

    # ---- the published graph
    def revision(self) -> int:
        """The current published revision."""
        with self._lock:
            return workflow.revision(self.conn)

    def changes(
        self, after: int
    ) -> tuple[int, str | None, list[tuple[int, str, str, bytes]] | None]:
        """The current revision, when it was made, and what each revision since ``after`` did."""
        with self._lock:
            return (
                workflow.revision(self.conn),
                workflow.last_change(self.conn),
                workflow.changes(self.conn, after),
            )

    def published(self) -> Published:
        """The curated build plus every accepted submission (cached per revision)."""
        with self._lock:
            rev = workflow.revision(self.conn)
            if self._published is None or self._published.revision != rev:
                self._published = self._catch_up(self._published, rev)
            return self._published

    def _catch_up(self, current: Published | None, rev: int) -> Published:
        """Revision ``rev``: advanced from ``current`` when only accepts happened since."""
        if current is not None and current.revision < rev:
            steps = workflow.changes(self.conn, current.revision)
            if steps is not None and all(action == "accepted" for _r, _s, action, _n in steps):
                for _rev, sid, _action, _nquads in steps:
                    current = advance(self.baseline, current, workflow.get(self.conn, sid))
                return current
        return self._publish(rev)

    def published_at(self, rev: int) -> Build:
        """The published graph as it was at revision ``rev`` (0: the curated build alone).

        Raises:
            WorkflowError: the revision does not exist yet.
        """
        with self._lock:
            current = workflow.revision(self.conn)
            if not 0 <= rev <= current:
                raise workflow.WorkflowError(f"revision {rev} does not exist (now {current})")
            return compose(self.baseline, workflow.accepted_at(self.conn, rev))

    # ---- submitting
    def submit(
        self, account: Account, media_type: str, body: bytes, intake: Intake | None = None
    ) -> tuple[workflow.Submission, Report]:
        """Compile, authorise and gate a submission; store it as pending.

        ``intake`` is the body already read (``graph.contrib.intake.read``, which the service
        runs in its intake worker); without it the body is read here, for trusted callers.

        Raises:
            Forbidden: a secretariat account, or a submission for another organisation.
            SubmissionError: the body does not compile (HTTP 422, naming record and field).
            GateFailed: the merged graph does not conform (HTTP 422); nothing is stored.
        """
        if not account.submits:
            raise Forbidden("only partners and area leads submit; the secretariat reviews")
        if intake is None:
            intake = read(body, media_type)
        with self._lock:  # one gate at a time: the published view below may advance in place
            return self._submit(account, intake)

    def _submit(self, account: Account, intake: Intake) -> tuple[workflow.Submission, Report]:
        sid = workflow.new_id()
        compiled, nquads, report, gated_at = self._prepare(account, intake, sid)
        title = str((intake.doc or {}).get("title") or "")
        graph = Graph()
        graph.addN((s, p, o, graph) for s, p, o in compiled.triples)
        sub = workflow.record(
            self.conn,
            sid,
            account,
            account.org,
            intake.media_type,
            intake.body,
            nquads,
            compiled.records,
            {
                **report.as_json(),
                "claims": claims(compiled.records, graph, account.org, self.published().abox()),
                "gated_at": gated_at,
                "title": title,
                "areas": sorted(areas_of(graph, self.published().abox())),
            },
        )
        self._notice(sub, "submitted")
        return sub, report

    def dry_run(self, account: Account, intake: Intake) -> Report:
        """What ``submit`` would answer, without storing anything (a form's read-back).

        Raises:
            Forbidden, SubmissionError, GateFailed: as ``submit``.
        """
        if not account.submits:
            raise Forbidden("only partners and area leads submit; the secretariat reviews")
        with self._lock:
            return self._prepare(account, intake, workflow.new_id())[2]

    def _prepare(
        self, account: Account, intake: Intake, sid: str
    ) -> tuple[Compiled, bytes, Report, int | None]:
        """Compile and gate a submission as ``sid``: (compiled, N-Quads, report, gated at)."""
        published = self.published()
        if intake.triples is not None:
            named = next((o for _s, p, o in intake.triples if p == GMP.reportingPeriod), None)
            compiled = compile_rdf(
                intake.triples,
                sid,
                published.subjects(),
                self._vocabulary,
                self._period(published, named).iri,
            )
        else:
            doc = intake.doc or {}
            org = str(doc.get("organisation") or "")
            if org and _iri(org) != account.org:
                raise Forbidden(
                    f"this account acts for {account.org.removeprefix(str(GMPD))}, not for {org}; "
                    "a partner submits for its own organisation (and may report others' roles "
                    "as its own claims)"
                )
            compiled = compile_submission(
                doc,
                sid,
                published.subjects(),
                self._vocabulary,
                published.abox(),
                self._period(published, doc.get("period")).iri,
            )
        nquads = _nquads(compiled)
        report, gated_at = self._gate(published, compiled, nquads, exclude=sid)
        report.warnings += word_warnings(intake.doc or {})
        return compiled, nquads, report, gated_at

    def _gate(
        self, published: Published, compiled: Compiled, nquads: bytes, exclude: str
    ) -> tuple[Report, int | None]:
        """The gate's report and the revision it was made on (None: not known to be current)."""
        others = [
            (f"pending submission {s.id}", s.nquads) for s in self.pending() if s.id != exclude
        ]
        gated = None
        if self.gatekeeper is not None:
            try:
                gated = self.gatekeeper(nquads, others)
            except OSError:  # the gatekeeper is starting or gone: the same gate, here
                gated = None
        if gated is None:
            gated = published.revision, self._check(published, compiled.triples, others)
        rev, report = gated
        if not report.passed:
            raise GateFailed(report, sentence(report, compiled.records))
        return report, rev if rev == published.revision else None

    def gate(self, nquads: bytes, others: list[tuple[str, bytes]]) -> tuple[int, Report]:
        """Gate a compiled submission's N-Quads on the current revision (what a gatekeeper runs)."""
        with self._lock:
            published = self.published()
            return published.revision, self._check(published, _triples(nquads), others)

    def _check(
        self, published: Published, triples: Iterable[Any], others: list[tuple[str, bytes]]
    ) -> Report:
        parsed = {}
        for label, nquads in others:  # pending submissions do not change: parsed once each
            key = (label, hashlib.blake2b(nquads, digest_size=16).digest())
            parsed[key] = self._parsed.get(key) or _graph(nquads)
        self._parsed = parsed
        return check(
            published.index(),
            list(triples),
            list(zip((k[0] for k in parsed), parsed.values(), strict=True)),
            self._shapes,
        )

    def listing(self) -> list[workflow.Submission]:
        """Every submission, oldest first."""
        with self._lock:
            return workflow.listing(self.conn)

    def pending(self) -> list[workflow.Submission]:
        """Submissions waiting for review."""
        with self._lock:
            return workflow.listing(self.conn, "pending")

    # ---- reviewing
    def areas(self, sub: workflow.Submission) -> frozenset[str]:
        """The partnership areas a submission is about (``graph.contrib.roles``).

        Found when it was submitted; worked out again for one stored before that was.
        """
        found = sub.report.get("areas")
        if isinstance(found, list):
            return frozenset(str(a) for a in found)
        return areas_of(_graph(sub.nquads), self.published().abox())

    def _reviewer(self, account: Account, sid: str | None = None) -> None:
        """Refuse an account that may not decide on ``sid`` (None: retract, the secretariat's)."""
        if sid is None or account.role != "area-lead":
            if account.role != "secretariat":
                raise Forbidden("only the secretariat retracts or reviews this")
            return
        why = deciders(account, self.areas(self.get(sid)))
        if why:
            raise Forbidden(why)

    def accept(
        self,
        sid: str,
        reviewer: Account,
        decisions: dict[tuple[str, str], bool] | None = None,
    ) -> workflow.Submission:
        """Accept: re-gate on the current published graph, then publish atomically.

        A submission gated on the revision that is still current is not gated again: the gate's
        answer depends only on that graph and the submission (other pending ones only warn).
        Money the submission may report twice (``graph.contrib.money``) needs the reviewer's
        decision for each pair, ``decisions[(flow, other)]``: True, the same money; False, not.

        Raises:
            WorkflowError: 409 when a pair is undecided (the message names them) or a decision
                is about a pair that is not in question.
        """
        self._reviewer(reviewer, sid)
        decided = dict(decisions or {})

        def recheck(sub: workflow.Submission) -> None:
            published = self.published()  # the lock is re-entrant
            taken = sorted(r for r in sub.records if GMPD[r] in published.subjects())
            if taken:
                raise workflow.WorkflowError(
                    f"submission {sub.id} defines {', '.join(taken)}, published since it was "
                    "submitted by another submission; reject it or retract the other"
                )
            questions = open_questions(_graph(sub.nquads), published.abox())
            refusal = undecided(questions, decided)
            if refusal:
                raise workflow.WorkflowError(refusal)
            if sub.report.get("gated_at") == published.revision:
                return  # gated on this very revision: the same graph gives the same answer
            compiled = Compiled(sub.id, _triples(sub.nquads), sub.records)
            self._gate(published, compiled, sub.nquads, exclude=sub.id)

        with self._lock:
            before = self._published
            sub = workflow.accept(self.conn, sid, reviewer, recheck, decided)
            self._notice(sub, "accepted")
            if before is not None and sub.revision == before.revision + 1:
                self._published = advance(self.baseline, before, sub)
            return sub

    def _publish(self, rev: int) -> Published:
        build = compose(self.baseline, workflow.accepted(self.conn))
        return Published(rev, build, workflow.last_change(self.conn))

    def reject(self, sid: str, reviewer: Account, reason: str) -> workflow.Submission:
        """Reject a pending submission with a reason."""
        self._reviewer(reviewer, sid)
        if not reason.strip():
            raise SubmissionError([Problem("a rejection needs a reason", field="reason")])
        with self._lock:
            sub = workflow.reject(self.conn, sid, reviewer, reason)
            self._notice(sub, "rejected", reason)
            return sub

    def retract(self, sid: str, reviewer: Account, reason: str) -> workflow.Submission:
        """Retract an accepted submission (it stays in the history)."""
        self._reviewer(reviewer)
        if not reason.strip():
            raise SubmissionError([Problem("a retraction needs a reason", field="reason")])
        with self._lock:
            sub = workflow.retract(self.conn, sid, reviewer, reason)
            self._notice(sub, "retracted", reason)
            return sub

    def get(self, sid: str) -> workflow.Submission:
        """One submission (any state)."""
        with self._lock:
            return workflow.get(self.conn, sid)

    def read(self, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(connection, *args)`` under the ledger's lock (``graph.contrib.history``)."""
        with self._lock:
            return fn(self.conn, *args)

    def history(self, sid: str) -> list[dict[str, str]]:
        """What happened to a submission."""
        with self._lock:
            return workflow.history(self.conn, sid)


def _iri(value: str) -> str:
    from graph.query.catalog import ParamError, parse_iri

    try:
        return str(parse_iri(value, "organisation"))
    except ParamError as exc:
        raise SubmissionError([Problem(str(exc), field="organisation")]) from exc
