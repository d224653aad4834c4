"""Sign-in sessions for the web forms: a random cookie value, stored only as its SHA-256.

A session belongs to an account, ends after ``LIFETIME`` or at sign-out, and carries the CSRF
token its forms must send back (OWASP's synchroniser token pattern; the cookie is also
``SameSite=Strict`` and ``HttpOnly``). A revoked account's sessions stop working at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from datetime import UTC, datetime, timedelta

from graph.contrib.accounts import Account, account_of_row

LIFETIME = timedelta(hours=8)


def _key(cookie: str) -> str:
    return hashlib.sha256(cookie.encode("utf-8")).hexdigest()


def start(conn: sqlite3.Connection, account: Account) -> tuple[str, str]:
    """A new session: (cookie value, CSRF token)."""
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = (datetime.now(UTC) + LIFETIME).isoformat()
    conn.execute(
        "INSERT INTO sessions (id, account, csrf, expires) VALUES (?,?,?,?)",
        (_key(cookie), account.id, csrf, expires),
    )
    return cookie, csrf


def lookup(conn: sqlite3.Connection, cookie: str) -> tuple[Account, str] | None:
    """The session's active account and CSRF token, or None (unknown, expired, revoked)."""
    row = conn.execute(
        "SELECT a.*, s.csrf, s.expires FROM sessions s JOIN accounts a ON a.id = s.account"
        " WHERE s.id = ?",
        (_key(cookie),),
    ).fetchone()
    if row is None or row["revoked"] is not None:
        return None
    if datetime.fromisoformat(row["expires"]) < datetime.now(UTC):
        conn.execute("DELETE FROM sessions WHERE id = ?", (_key(cookie),))
        return None
    return account_of_row(row), str(row["csrf"])


def end(conn: sqlite3.Connection, cookie: str) -> None:
    """Sign out (sessions are not history; they are removed)."""
    conn.execute("DELETE FROM sessions WHERE id = ?", (_key(cookie),))


def csrf_ok(expected: str, sent: str) -> bool:
    """Whether a form sent its session's CSRF token."""
    return bool(sent) and hmac.compare_digest(expected, sent)
