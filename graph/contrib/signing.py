"""Who acts: bearer tokens and web sessions over the state database, for the ledger.

A mixin of ``graph.contrib.ledger.Ledger``: each call takes the ledger's lock and reads the
accounts (``graph.contrib.accounts``, scrypt-hashed tokens) or sessions
(``graph.contrib.sessions``, cookies with a CSRF token each, OWASP's synchronizer token pattern:
https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html).
"""

from __future__ import annotations

import sqlite3
import threading

from graph.contrib import accounts, sessions
from graph.contrib.accounts import Account


class Signing:
    """Authentication and sessions of the ledger's accounts."""

    conn: sqlite3.Connection
    _lock: threading.RLock
    _verified: accounts.Verified

    def authenticate(self, token: str) -> Account | None:
        """The active account of a bearer token."""
        with self._lock:
            return accounts.authenticate(self.conn, token, self._verified)

    def sign_in(self, token: str) -> tuple[Account, str, str] | None:
        """A web session for a token's account: (account, cookie, CSRF token), or None."""
        with self._lock:
            account = accounts.authenticate(self.conn, token, self._verified)
            if account is None:
                return None
            cookie, csrf = sessions.start(self.conn, account)
            return account, cookie, csrf

    def session(self, cookie: str) -> tuple[Account, str] | None:
        """The account and CSRF token of a session cookie."""
        with self._lock:
            return sessions.lookup(self.conn, cookie)

    def sign_out(self, cookie: str) -> None:
        """End a web session."""
        with self._lock:
            sessions.end(self.conn, cookie)

    def has_accounts(self) -> bool:
        """Whether any account can act (with none, the write routes say how to make one)."""
        with self._lock:
            return accounts.count_active(self.conn) > 0
