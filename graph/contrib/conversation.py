"""Questions, answers and notices about submissions: the ledger's side of the conversation.

A mixin of ``graph.contrib.ledger.Ledger``. A reviewer (the secretariat, or the lead of the
submission's areas) asks the partner a question and the submission stays pending; the
organisation that sent it answers; each step, and each decision, is a notice to whoever should
hear of it (``graph.contrib.notices``), in the same history as the decisions.
"""

from __future__ import annotations

import sqlite3
import threading

from graph.contrib import notices, workflow
from graph.contrib.accounts import Account, Forbidden
from graph.contrib.submission import Problem, SubmissionError


class Conversation:
    """Asking, answering and telling, over the ledger's state database."""

    conn: sqlite3.Connection
    _lock: threading.RLock

    def _reviewer(self, account: Account, sid: str | None = None) -> None:  # pragma: no cover
        """Refuse an account that may not decide (the ledger's)."""
        raise NotImplementedError

    def areas(self, sub: workflow.Submission) -> frozenset[str]:  # pragma: no cover
        """The partnership areas a submission is about (the ledger's)."""
        raise NotImplementedError

    def ask(self, sid: str, reviewer: Account, question: str) -> workflow.Submission:
        """Ask the partner about a pending submission (it stays pending; the partner hears)."""
        self._reviewer(reviewer, sid)
        if not question.strip():
            raise SubmissionError([Problem("a question needs words", field="reason")])
        with self._lock:
            workflow.note(self.conn, sid, reviewer, "asked", question.strip())
            sub = workflow.get(self.conn, sid)
            self._notice(sub, "asked", question.strip())
            return sub

    def answer(self, sid: str, account: Account, text: str) -> workflow.Submission:
        """The submitting organisation answers a question (its reviewers hear)."""
        with self._lock:
            sub = workflow.get(self.conn, sid)
            if sub.org != account.org or not account.submits:
                raise Forbidden("only the organisation that sent a submission answers about it")
            if not text.strip():
                raise SubmissionError([Problem("an answer needs words", field="reason")])
            workflow.note(self.conn, sid, account, "answered", text.strip())
            self._notice(sub, "answered", text.strip())
            return workflow.get(self.conn, sid)

    def _notice(self, sub: workflow.Submission, action: str, detail: str = "") -> None:
        """Tell whoever should hear of ``action`` (``graph.contrib.notices``)."""
        title = str(sub.report.get("title") or "")
        notices.on_event(self.conn, sub.id, title, action, sub.account, self.areas(sub), detail)
