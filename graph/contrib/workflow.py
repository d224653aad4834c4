"""Review states of submissions: pending -> accepted | rejected; accepted -> retracted.

Every state change is one SQLite transaction (``BEGIN IMMEDIATE``, so changes are serialised)
that also appends to the ``events`` history and, for accept and retract, advances the
published revision. Nothing is deleted: a rejected or retracted submission keeps its body, its
compiled triples and its history. On accept the submission's graph gains its attribution in
PROV-O (https://www.w3.org/TR/prov-o/): who submitted it for which organisation and when, and
the acceptance (who, when) that generated the published named graph.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from graph.contrib.accounts import Account, now
from graph.contrib.money import decision_triples
from graph.contrib.submission import graph_iri, submission_iri
from graph.namespaces import GMPD

STATES = ("pending", "accepted", "rejected", "retracted")


class WorkflowError(ValueError):
    """A state change that is not allowed (``status`` is the HTTP status that says so)."""

    def __init__(self, message: str, status: int = 409) -> None:
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class Submission:
    """A submission's row."""

    id: str
    account: str
    org: str
    received: str
    media_type: str
    body: bytes
    nquads: bytes
    records: list[str]
    report: dict[str, Any]
    state: str
    reviewer: str | None
    reviewed: str | None
    reason: str | None
    revision: int | None

    def summary(self) -> dict[str, Any]:
        """The row without its body and triples."""
        return {
            "id": self.id,
            "state": self.state,
            "organisation": self.org.removeprefix(str(GMPD)),
            "account": self.account,
            "received": self.received,
            "records": self.records,
            "reviewer": self.reviewer,
            "reviewed": self.reviewed,
            "reason": self.reason,
            "revision": self.revision,
        }


def new_id() -> str:
    """A time-ordered, unguessable submission id."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(4)


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taken at once (other writers wait for it)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _row(r: sqlite3.Row) -> Submission:
    return Submission(
        r["id"],
        r["account"],
        r["org"],
        r["received"],
        r["media_type"],
        bytes(r["body"]),
        bytes(r["nquads"]),
        json.loads(r["records"]),
        json.loads(r["report"]),
        r["state"],
        r["reviewer"],
        r["reviewed"],
        r["reason"],
        r["revision"],
    )


def revision(conn: sqlite3.Connection) -> int:
    """The published revision: how many accepts and retracts have happened."""
    return int(conn.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0])


def last_change(conn: sqlite3.Connection) -> str | None:
    """When the published graph last changed (an accept or a retract), if ever."""
    row = conn.execute(
        "SELECT MAX(at) FROM events WHERE action IN ('accepted', 'retracted')"
    ).fetchone()
    return str(row[0]) if row and row[0] else None


def _advance(conn: sqlite3.Connection, sid: str, action: str) -> int:
    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")
    rev = revision(conn)
    conn.execute(
        "INSERT INTO revisions (revision, submission, action) VALUES (?,?,?)", (rev, sid, action)
    )
    return rev


def changes(conn: sqlite3.Connection, after: int) -> list[tuple[int, str, str, bytes]] | None:
    """What each revision since ``after`` did: (revision, submission, action, its N-Quads).

    None when the log does not hold every revision since then (the caller rebuilds in full).
    """
    rows = conn.execute(
        "SELECT r.revision, r.submission, r.action, s.nquads FROM revisions r"
        " JOIN submissions s ON s.id = r.submission WHERE r.revision > ? ORDER BY r.revision",
        (after,),
    ).fetchall()
    if [r[0] for r in rows] != list(range(after + 1, revision(conn) + 1)):
        return None
    return [(int(r[0]), str(r[1]), str(r[2]), bytes(r[3])) for r in rows]


def _event(conn: sqlite3.Connection, sid: str, account: str, action: str, detail: str = "") -> None:
    conn.execute(
        "INSERT INTO events (submission, at, account, action, detail) VALUES (?,?,?,?,?)",
        (sid, now(), account, action, detail),
    )


def note(conn: sqlite3.Connection, sid: str, account: Account, action: str, text: str) -> None:
    """A question or an answer on a pending submission (it stays pending), in its history."""
    with immediate(conn):
        sub = get(conn, sid)
        if sub.state != "pending":
            raise WorkflowError(f"submission {sid} is {sub.state}; questions are for pending ones")
        _event(conn, sid, account.id, action, text)


def record(
    conn: sqlite3.Connection,
    sid: str,
    account: Account,
    org: str,
    media_type: str,
    body: bytes,
    nquads: bytes,
    records: list[str],
    report: dict[str, Any],
) -> Submission:
    """Store a submission that passed the gate, as pending."""
    with immediate(conn):
        conn.execute(
            "INSERT INTO submissions (id, account, org, received, media_type, body, nquads,"
            " records, report, state) VALUES (?,?,?,?,?,?,?,?,?, 'pending')",
            (
                sid,
                account.id,
                org,
                now(),
                media_type,
                body,
                nquads,
                json.dumps(records),
                json.dumps(report),
            ),
        )
        _event(conn, sid, account.id, "submitted")
    return get(conn, sid)


def get(conn: sqlite3.Connection, sid: str) -> Submission:
    """One submission.

    Raises:
        WorkflowError: (404) no such submission.
    """
    r = conn.execute("SELECT * FROM submissions WHERE id = ?", (sid,)).fetchone()
    if r is None:
        raise WorkflowError(f"no submission {sid!r}", 404)
    return _row(r)


def listing(conn: sqlite3.Connection, state: str | None = None) -> list[Submission]:
    """Submissions, oldest first, optionally in one state."""
    if state is None:
        rows = conn.execute("SELECT * FROM submissions ORDER BY received, id").fetchall()
    else:
        rows = conn.execute(
            "SELECT * FROM submissions WHERE state = ? ORDER BY received, id", (state,)
        ).fetchall()
    return [_row(r) for r in rows]


def history(conn: sqlite3.Connection, sid: str) -> list[dict[str, str]]:
    """What happened to a submission, in order."""
    rows = conn.execute(
        "SELECT at, account, action, detail FROM events WHERE submission = ? ORDER BY seq", (sid,)
    ).fetchall()
    return [dict(r) for r in rows]


def retraction_of(conn: sqlite3.Connection, rid: str) -> tuple[Submission, str] | None:
    """The retracted submission that made ``rid``, and when it was retracted (None: none did).

    ``rid`` may be a record, a node under one (``flow/x/amount``) or the submission itself.
    """
    rows = conn.execute(
        "SELECT * FROM submissions WHERE state = 'retracted' ORDER BY reviewed DESC"
    ).fetchall()
    for row in rows:
        sub = _row(row)
        own = (f"submission/{sub.id}", f"graph/submission/{sub.id}", *sub.records)
        if any(rid == made or rid.startswith(made + "/") for made in own):
            at = conn.execute(
                "SELECT at FROM events WHERE submission = ? AND action = 'retracted'"
                " ORDER BY seq DESC LIMIT 1",
                (sub.id,),
            ).fetchone()
            return sub, str(at["at"]) if at else ""
    return None


def accepted(conn: sqlite3.Connection) -> list[Submission]:
    """The published submissions, in the order they were accepted."""
    rows = conn.execute(
        "SELECT * FROM submissions WHERE state = 'accepted' ORDER BY revision"
    ).fetchall()
    return [_row(r) for r in rows]


def accepted_at(conn: sqlite3.Connection, rev: int) -> list[Submission]:
    """The submissions published at revision ``rev``: accepted by then and not yet retracted."""
    state: dict[str, str] = {}
    for sid, action in conn.execute(
        "SELECT submission, action FROM revisions WHERE revision <= ? ORDER BY revision", (rev,)
    ):
        state[sid] = action
    return [get(conn, sid) for sid, action in state.items() if action == "accepted"]


def accept(
    conn: sqlite3.Connection,
    sid: str,
    reviewer: Account,
    recheck: Callable[[Submission], None],
    decisions: dict[tuple[str, str], bool] | None = None,
) -> Submission:
    """Accept a pending submission: re-gate it on the current graph, attribute it, publish it.

    ``recheck`` runs inside the write transaction (so no other accept can slip in between) and
    raises to refuse. ``decisions`` are the reviewer's on money that may be reported twice
    (``graph.contrib.money``): each (flow, other) pair, True for the same money; they are
    published with the submission, attributed to the reviewer.

    Raises:
        WorkflowError: not pending (409), or whatever ``recheck`` raises.
    """
    with immediate(conn):
        sub = get(conn, sid)
        if sub.state != "pending":
            raise WorkflowError(f"submission {sid} is {sub.state}, not pending")
        recheck(sub)
        at = now()
        row = conn.execute("SELECT name FROM accounts WHERE id = ?", (sub.account,)).fetchone()
        by = row["name"] if row is not None else ""
        nquads = (
            sub.nquads + attribution(sub, reviewer, at, by) + decided(sub, reviewer, at, decisions)
        )
        rev = _advance(conn, sid, "accepted")
        conn.execute(
            "UPDATE submissions SET state = 'accepted', reviewer = ?, reviewed = ?, nquads = ?,"
            " revision = ? WHERE id = ?",
            (reviewer.id, at, nquads, rev, sid),
        )
        _event(conn, sid, reviewer.id, "accepted", f"revision {rev}")
    return get(conn, sid)


def reject(conn: sqlite3.Connection, sid: str, reviewer: Account, reason: str) -> Submission:
    """Reject a pending submission, with the reason the submitter will read."""
    with immediate(conn):
        sub = get(conn, sid)
        if sub.state != "pending":
            raise WorkflowError(f"submission {sid} is {sub.state}, not pending")
        conn.execute(
            "UPDATE submissions SET state = 'rejected', reviewer = ?, reviewed = ?, reason = ?"
            " WHERE id = ?",
            (reviewer.id, now(), reason, sid),
        )
        _event(conn, sid, reviewer.id, "rejected", reason)
    return get(conn, sid)


def retract(conn: sqlite3.Connection, sid: str, by: Account, reason: str) -> Submission:
    """Withdraw an accepted submission from the published graph; it stays in the history."""
    with immediate(conn):
        sub = get(conn, sid)
        if sub.state != "accepted":
            raise WorkflowError(f"submission {sid} is {sub.state}; only accepted ones retract")
        rev = _advance(conn, sid, "retracted")
        conn.execute(
            "UPDATE submissions SET state = 'retracted', reason = ? WHERE id = ?", (reason, sid)
        )
        _event(conn, sid, by.id, "retracted", f"revision {rev}: {reason}")
    return get(conn, sid)


def account_iri(account_id: str) -> URIRef:
    """An account as a PROV agent."""
    return GMPD[f"account/{account_id}"]


def decided(
    sub: Submission, reviewer: Account, at: str, decisions: dict[tuple[str, str], bool] | None
) -> bytes:
    """N-Quads of the reviewer's money decisions, in the submission's graph."""
    if not decisions:
        return b""
    ds = Dataset()
    g = ds.graph(graph_iri(sub.id))
    for triple in decision_triples(submission_iri(sub.id), account_iri(reviewer.id), at, decisions):
        g.add(triple)
    return ds.serialize(format="nquads").encode("utf-8")


def attribution(sub: Submission, reviewer: Account, at: str, submitter: str = "") -> bytes:
    """N-Quads saying who submitted the submission, for whom, when, and who accepted it.

    An account is labelled by the name given to it (``submitter``, ``reviewer.name``), else by
    its id.
    """
    graph = graph_iri(sub.id)
    node = submission_iri(sub.id)
    agent = account_iri(sub.account)
    review = URIRef(f"{node}/acceptance")
    ds = Dataset()
    g = ds.graph(graph)
    org = URIRef(sub.org)
    g.add((node, PROV.wasAttributedTo, org))
    g.add((node, PROV.wasAttributedTo, agent))
    g.add((node, PROV.generatedAtTime, Literal(sub.received, datatype=XSD.dateTime)))
    g.add((node, DCTERMS.dateAccepted, Literal(at[:10], datatype=XSD.date)))
    g.add((agent, RDF.type, PROV.Agent))
    g.add((agent, PROV.actedOnBehalfOf, org))
    g.add((agent, RDFS.label, Literal(submitter or f"account {sub.account}", lang="en")))
    reviewer_agent = account_iri(reviewer.id)
    g.add((reviewer_agent, RDF.type, PROV.Agent))
    g.add((reviewer_agent, PROV.actedOnBehalfOf, URIRef(reviewer.org)))
    g.add((reviewer_agent, RDFS.label, Literal(reviewer.shown, lang="en")))
    g.add((review, RDF.type, PROV.Activity))
    g.add((review, RDFS.label, Literal(f"acceptance of submission {sub.id}", lang="en")))
    g.add((review, PROV.used, node))
    g.add((review, PROV.wasAssociatedWith, reviewer_agent))
    g.add((review, PROV.endedAtTime, Literal(at, datatype=XSD.dateTime)))
    g.add((graph, RDF.type, PROV.Entity))
    g.add((graph, RDFS.label, Literal(f"Facts of submission {sub.id}", lang="en")))
    g.add((graph, PROV.wasDerivedFrom, node))
    g.add((graph, PROV.wasGeneratedBy, review))
    for rid in sub.records:
        g.add((GMPD[rid], PROV.wasAttributedTo, org))
    return ds.serialize(format="nquads").encode("utf-8")
