"""Notices: who hears of what happens to a submission, as a feed and as an outbox of e-mail.

When a submission arrives, every reviewer who may decide on it (the secretariat, the leads of
its areas: ``graph.contrib.roles``) gets a notice; when it is accepted, rejected, asked about or
retracted, the account that submitted it does; a partner's answer goes to the reviewers again.
Each account reads its notices as an Atom feed (RFC 4287, ``service/api/feed.py``). A
deployment that sets ``MERCURY_KG_SMTP_HOST`` also sends them by e-mail to accounts that gave an
address (``send``, Python's ``smtplib``); without it nothing is sent and nothing is needed.
"""

from __future__ import annotations

import smtplib
import sqlite3
from dataclasses import dataclass
from email.message import EmailMessage

from graph.contrib import accounts
from graph.contrib.accounts import Account, now

DECISIONS = {
    "accepted": "was accepted",
    "rejected": "was rejected",
    "asked": "has a question from its reviewer",
    "retracted": "was retracted",
}


@dataclass(frozen=True)
class Notice:
    """One notice to one account."""

    seq: int
    account: str
    at: str
    kind: str
    submission: str
    title: str
    body: str
    sent: str | None


def _add(
    conn: sqlite3.Connection, account: str, kind: str, sid: str, title: str, body: str
) -> None:
    conn.execute(
        "INSERT INTO notices (account, at, kind, submission, title, body) VALUES (?,?,?,?,?,?)",
        (account, now(), kind, sid, title, body),
    )


def on_event(
    conn: sqlite3.Connection,
    sid: str,
    title: str,
    action: str,
    submitter: str,
    areas: frozenset[str],
    detail: str = "",
) -> None:
    """Write the notices an event of submission ``sid`` makes (in the caller's transaction)."""
    named = f"submission {sid}" + (f" “{title}”" if title else "")
    if action in ("submitted", "answered"):
        what = "awaits your review" if action == "submitted" else "has an answer from its partner"
        for reviewer in accounts.listing(conn):
            if reviewer.active and reviewer.reviews(areas) and reviewer.id != submitter:
                _add(conn, reviewer.id, action, sid, f"The {named} {what}", detail)
    elif action in DECISIONS:
        _add(conn, submitter, action, sid, f"Your {named} {DECISIONS[action]}", detail)


def feed(conn: sqlite3.Connection, account: str, limit: int = 50) -> list[Notice]:
    """An account's latest notices, newest first."""
    rows = conn.execute(
        "SELECT * FROM notices WHERE account = ? ORDER BY seq DESC LIMIT ?", (account, limit)
    ).fetchall()
    return [Notice(**dict(r)) for r in rows]


def unsent(conn: sqlite3.Connection) -> list[tuple[Notice, Account]]:
    """Notices not yet e-mailed to accounts that gave an address."""
    rows = conn.execute(
        "SELECT n.* FROM notices n JOIN accounts a ON a.id = n.account"
        " WHERE n.sent IS NULL AND a.email != '' AND a.revoked IS NULL ORDER BY n.seq"
    ).fetchall()
    out = []
    for r in rows:
        found = accounts.find(conn, r["account"])
        if found is not None:
            out.append((Notice(**dict(r)), found))
    return out


def send(conn: sqlite3.Connection, host: str, port: int, sender: str, base: str) -> int:
    """E-mail every unsent notice through the SMTP server; return how many were sent.

    A notice is marked sent only once the server took it, so a failure sends it next time.
    """
    out = unsent(conn)
    if not out:
        return 0
    sent = 0
    with smtplib.SMTP(host, port, timeout=30) as smtp:
        for notice, account in out:
            message = EmailMessage()
            message["From"] = sender
            message["To"] = account.email
            message["Subject"] = notice.title
            link = f"{base.rstrip('/')}/review/{notice.submission}"
            message.set_content(f"{notice.title}.\n\n{notice.body}\n\n{link}\n".strip() + "\n")
            smtp.send_message(message)
            conn.execute("UPDATE notices SET sent = ? WHERE seq = ?", (now(), notice.seq))
            sent += 1
    return sent
