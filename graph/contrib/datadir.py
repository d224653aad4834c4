"""The data directory: where the write path keeps its state.

``--data-dir``, else ``$MERCURY_KG_DATA_DIR``, else ``./data``. It holds ``state.sqlite3``:
accounts, submissions (the body as sent and the compiled N-Quads), their review states, the
history of every action and the published revision, in SQLite's WAL mode with
``synchronous=FULL`` (https://www.sqlite.org/wal.html): a transaction that returned is on disk.
The published graph is the curated build plus the accepted submissions' N-Quads, loaded into the
in-memory store at start and on every accept, so one SQLite transaction makes an accept atomic.
The directory is created private to its owner (mode 0700; the file 0600).
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

ENV = "MERCURY_KG_DATA_DIR"
DEFAULT = Path("data")

ACCOUNTS = """(
    id       TEXT PRIMARY KEY,
    org      TEXT NOT NULL,
    role     TEXT NOT NULL CHECK (role IN ('partner', 'area-lead', 'secretariat')),
    name     TEXT NOT NULL DEFAULT '',
    salt     BLOB NOT NULL,
    hash     BLOB NOT NULL,
    created  TEXT NOT NULL,
    revoked  TEXT,
    areas    TEXT NOT NULL DEFAULT '[]',
    email    TEXT NOT NULL DEFAULT ''
)"""
"""The accounts table's columns (an area lead's areas are a JSON list of IRIs)."""

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS accounts "
    + ACCOUNTS
    + """;
CREATE TABLE IF NOT EXISTS submissions (
    id          TEXT PRIMARY KEY,
    account     TEXT NOT NULL REFERENCES accounts(id),
    org         TEXT NOT NULL,
    received    TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    body        BLOB NOT NULL,
    nquads      BLOB NOT NULL,
    records     TEXT NOT NULL,
    report      TEXT NOT NULL,
    state       TEXT NOT NULL
                CHECK (state IN ('pending', 'accepted', 'rejected', 'retracted')),
    reviewer    TEXT REFERENCES accounts(id),
    reviewed    TEXT,
    reason      TEXT,
    revision    INTEGER
);
CREATE INDEX IF NOT EXISTS submissions_state ON submissions(state, received);
CREATE TABLE IF NOT EXISTS events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    submission  TEXT NOT NULL REFERENCES submissions(id),
    at          TEXT NOT NULL,
    account     TEXT NOT NULL,
    action      TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS revisions (
    revision    INTEGER PRIMARY KEY,
    submission  TEXT NOT NULL REFERENCES submissions(id),
    action      TEXT NOT NULL CHECK (action IN ('accepted', 'retracted'))
);
CREATE TABLE IF NOT EXISTS sessions (
    id       TEXT PRIMARY KEY,
    account  TEXT NOT NULL REFERENCES accounts(id),
    csrf     TEXT NOT NULL,
    expires  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS notices (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    account     TEXT NOT NULL REFERENCES accounts(id),
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL,
    submission  TEXT NOT NULL REFERENCES submissions(id),
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    sent        TEXT
);
CREATE INDEX IF NOT EXISTS notices_account ON notices(account, seq);
INSERT OR IGNORE INTO meta (key, value) VALUES ('revision', '0');
"""
)
"""The tables; each statement is idempotent, so opening a directory twice changes nothing."""

ACCOUNTS_V2 = (
    "CREATE TABLE accounts_v2 "  # noqa: S608 - the module's own constants, no input
    + ACCOUNTS
    + """;
INSERT INTO accounts_v2 (id, org, role, name, salt, hash, created, revoked)
    SELECT id, org, role, name, salt, hash, created, revoked FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_v2 RENAME TO accounts;
"""
)
"""A directory made before area leads: its accounts table gains the role, areas and e-mail
(SQLite's way of changing a table: https://www.sqlite.org/lang_altertable.html#otheralter)."""


RESTORE = (
    "restore the last backup with 'mercury-kg restore BACKUP_DIR --data-dir {dir}' "
    "(made by 'mercury-kg backup'; restore keeps the damaged file beside the restored one)"
)


class DataDirError(RuntimeError):
    """The data directory cannot be used: one line naming the file, what is wrong, what to do."""


@dataclass(frozen=True)
class DataDir:
    """A data directory and the files in it."""

    path: Path

    @classmethod
    def resolve(cls, given: Path | str | None = None) -> DataDir:
        """``given``, else the environment variable, else ``./data``."""
        chosen = given or os.environ.get(ENV) or DEFAULT
        return cls(Path(chosen))

    @property
    def state_db(self) -> Path:
        """Accounts and workflow state."""
        return self.path / "state.sqlite3"

    def connect(self) -> sqlite3.Connection:
        """A connection with durable settings, the directory and tables created if missing.

        The database is checked first (SQLite's ``quick_check``). It may be used from several
        threads, one at a time (the caller holds a lock).

        Raises:
            DataDirError: the directory or its database cannot be used, in one line.
        """
        try:
            self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.state_db, timeout=10.0, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            raise DataDirError(self._why(exc)) from exc
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise sqlite3.DatabaseError(f"database disk image is malformed ({verdict})")
            _upgrade(conn)
            conn.executescript(SCHEMA)
            os.chmod(self.state_db, 0o600)
        except (OSError, sqlite3.Error) as exc:
            conn.close()
            raise DataDirError(self._why(exc)) from exc
        return conn

    def _why(self, exc: BaseException) -> str:
        """One line: which file, what is wrong with it, and what to do."""
        text = str(exc)
        restore = RESTORE.format(dir=self.path)
        if self.path.exists() and not self.path.is_dir():
            return f"{self.path}: is a file, not a directory; name a directory as the data dir"
        if isinstance(exc, OSError) and not isinstance(exc, PermissionError):
            return f"{self.path}: cannot be used as the data directory ({exc.strerror or text})"
        if isinstance(exc, PermissionError) or "readonly" in text or "unable to open" in text:
            return (
                f"{self.state_db}: cannot be opened for writing ({text}); the service needs "
                f"to write its data directory: check its owner and permissions"
            )
        if "not a database" in text:
            return f"{self.state_db}: is not a SQLite database (damaged or replaced); {restore}"
        return f"{self.state_db}: is damaged ({text}); {restore}"

    def set_aside(self) -> Path | None:
        """Move a damaged state database (and its journal files) aside; return its new name."""
        if not self.state_db.exists():
            return None
        stamp = time.strftime("%Y%m%dT%H%M%S")
        moved = self.state_db.with_name(f"{self.state_db.name}.damaged-{stamp}")
        for suffix in ("-wal", "-shm"):
            extra = self.state_db.with_name(self.state_db.name + suffix)
            if extra.exists():
                extra.replace(moved.with_name(moved.name + suffix))
        self.state_db.replace(moved)
        return moved


def _upgrade(conn: sqlite3.Connection) -> None:
    """Bring an older state database to the current tables, in one transaction."""
    columns = {r["name"] for r in conn.execute("PRAGMA table_info(accounts)")}
    if not columns or "areas" in columns:
        return
    conn.execute("PRAGMA foreign_keys=OFF")
    try:
        conn.executescript("BEGIN IMMEDIATE;" + ACCOUNTS_V2 + "COMMIT;")
    except sqlite3.Error:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA foreign_keys=ON")
