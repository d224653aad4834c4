"""Reporting periods held by the ledger: the secretariat opens one; a submission names one.

A mixin of ``graph.contrib.ledger.Ledger``. Opening a period is a submission of its own
statement, gated and accepted at once, so a period has provenance (PROV-O) and a revision; the
period a submission is on is chosen among those held (``graph.contrib.periods``).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from typing import Any

from rdflib import URIRef

from graph.contrib import workflow
from graph.contrib.accounts import Account, Forbidden
from graph.contrib.nquads import nquads_of as _nquads
from graph.contrib.periods import Period, PeriodError, chosen, months, new_period, opening
from graph.contrib.published import Published
from graph.contrib.submission import Problem, SubmissionError, compile_submission


class Opening:
    """Reporting periods of the ledger's published graph."""

    conn: sqlite3.Connection
    _lock: threading.RLock
    _vocabulary: set[URIRef]

    def published(self) -> Published:  # pragma: no cover - the ledger's
        """The published graph (the ledger's)."""
        raise NotImplementedError

    def accept(self, sid: str, reviewer: Account) -> workflow.Submission:  # pragma: no cover
        """Accept a submission (the ledger's)."""
        raise NotImplementedError

    def _gate(self, published: Published, compiled: Any, nquads: bytes, exclude: str) -> Any:
        raise NotImplementedError  # pragma: no cover - the ledger's

    def open_period(self, account: Account, span: str, label: str = "") -> workflow.Submission:
        """Open a reporting period (the secretariat): published at once, attributed to it.

        The period is a record of its own statement ("The secretariat opened the reporting
        period ..."), gated and accepted like a submission, so it has provenance and a revision.

        Raises:
            Forbidden: not the secretariat.
            PeriodError: not START/END in months, or overlapping a period held.
            SubmissionError: a label that is not a short text.
            GateFailed: the graph with it does not conform.
        """
        if account.role != "secretariat":
            raise Forbidden("only the secretariat opens reporting periods")
        first, last = months(span)
        with self._lock:
            published = self.published()
            new_period(published.periods(), first, last)
            doc, node = opening(span, label)
            sid = workflow.new_id()
            compiled = compile_submission(
                doc, sid, published.subjects(), self._vocabulary, published.abox(), node
            )
            nquads = _nquads(compiled)
            report, gated_at = self._gate(published, compiled, nquads, exclude=sid)
            body = json.dumps(doc, ensure_ascii=False).encode()
            details = {**report.as_json(), "claims": [], "gated_at": gated_at}
            workflow.record(
                self.conn,
                sid,
                account,
                account.org,
                "application/json",
                body,
                nquads,
                compiled.records,
                details,
            )
            return self.accept(sid, account)

    def _period(self, published: Published, named: object) -> Period:
        """The reporting period a submission is on (422 naming the periods held, if none)."""
        try:
            return chosen(published.periods(), named)
        except PeriodError as exc:
            raise SubmissionError([Problem(str(exc), field="period")]) from exc
