"""``mercury-kg submit``, ``backup`` and ``restore``: the write path from the command line.

``submit FILE --endpoint URL`` posts a submission (YAML or JSON, by the file's suffix) with the
token in ``$MERCURY_KG_TOKEN``. ``backup DIR`` copies the data directory's state with SQLite's
online backup API (a consistent copy while the service runs); ``restore DIR`` puts such a copy
in place of the data directory's state (with the service stopped).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import urllib.error
import urllib.request
from pathlib import Path

from graph.contrib.datadir import DataDir, DataDirError

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
MEDIA = {".yaml": "application/yaml", ".yml": "application/yaml", ".json": "application/json"}
BACKUP_NAME = "state.sqlite3"


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``submit``, ``backup`` and ``restore``."""
    p = sub.add_parser("submit", help="send a contribution to a running service")
    p.add_argument("file", type=Path, help="the submission (.yaml or .json)")
    p.add_argument("--endpoint", required=True, help="the service's base URL")
    help_dir = "state folder (default $MERCURY_KG_DATA_DIR or ./data)"
    p = sub.add_parser("backup", help="copy the write path's state to DIR (safe while serving)")
    p.add_argument("dir", type=Path)
    p.add_argument("--data-dir", type=Path, help=help_dir)
    p = sub.add_parser("restore", help="replace the write path's state with a backup")
    p.add_argument("dir", type=Path)
    p.add_argument("--data-dir", type=Path, help=help_dir)
    p = sub.add_parser("submissions", help="accepted contributions as curated files")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    e = actions.add_parser("export", help="write each accepted submission to DIR/<id>.yaml")
    e.add_argument("dir", type=Path, help="e.g. graph/data/contributions")
    e.add_argument("--data-dir", type=Path, help=help_dir)


def run_export(target: Path, data_dir: Path | None) -> int:
    """Write the accepted submissions as YAML files ``build`` compiles."""
    from graph.contrib.folder import export_accepted

    source = DataDir.resolve(data_dir)
    if not source.state_db.is_file():
        print(f"error: no state in {source.path}", file=sys.stderr)
        return EXIT_USAGE
    conn = source.connect()
    try:
        written = export_accepted(conn, target)
    finally:
        conn.close()
    for path in written:
        print(path)
    print(f"{len(written)} accepted submission(s) written to {target}", file=sys.stderr)
    return EXIT_OK


def run_submit(file: Path, endpoint: str) -> int:
    """POST the file; print the answer; 0 when pending, 1 when refused for its content."""
    token = os.environ.get("MERCURY_KG_TOKEN", "").strip()
    if not token:
        print("error: set MERCURY_KG_TOKEN to your account's token", file=sys.stderr)
        return EXIT_USAGE
    media = MEDIA.get(file.suffix.lower())
    if media is None or not file.is_file():
        print(f"error: {file}: expected an existing .yaml or .json file", file=sys.stderr)
        return EXIT_USAGE
    request = urllib.request.Request(  # noqa: S310 (the operator's own endpoint)
        endpoint.rstrip("/") + "/api/submissions",
        data=file.read_bytes(),
        headers={"Content-Type": media, "Authorization": f"Bearer {token}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            answer = json.loads(response.read())
            print(f"submission {answer['id']}: {answer['state']}")
            for warning in answer.get("warnings", []):
                print(f"warning: {warning['message']}", file=sys.stderr)
            return EXIT_OK
    except urllib.error.HTTPError as exc:
        try:
            body = json.loads(exc.read())
        except ValueError:
            body = {"error": exc.reason}
        print(f"error: {exc.code}: {body.get('error')}", file=sys.stderr)
        for problem in body.get("problems", []):
            where = ", ".join(
                f"{k} {problem[k]}" for k in ("record", "field", "line") if problem.get(k)
            )
            print(f"  {file}: {where}: {problem['message']}", file=sys.stderr)
        for result in body.get("shacl", []):
            print(f"  {result['focusNode']} {result['path']}: {result['message']}", file=sys.stderr)
        return EXIT_DATA if exc.code in (409, 415, 422) else EXIT_USAGE
    except (urllib.error.URLError, OSError) as exc:
        print(f"error: cannot reach {endpoint}: {exc}", file=sys.stderr)
        return EXIT_USAGE


def run_backup(target: Path, data_dir: Path | None) -> int:
    """A consistent copy of the state database into ``target`` (which must not exist)."""
    source = DataDir.resolve(data_dir)
    if not source.state_db.is_file():
        print(f"error: no state in {source.path}", file=sys.stderr)
        return EXIT_USAGE
    if target.exists():
        print(f"error: {target} exists; back up into a new folder", file=sys.stderr)
        return EXIT_USAGE
    target.mkdir(mode=0o700, parents=True)
    src = source.connect()
    dst = sqlite3.connect(target / BACKUP_NAME)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    os.chmod(target / BACKUP_NAME, 0o600)
    print(f"backed up {source.state_db} to {target / BACKUP_NAME}")
    return EXIT_OK


def run_restore(backup: Path, data_dir: Path | None) -> int:
    """Replace the data directory's state with a backup (checked first)."""
    copy = backup / BACKUP_NAME
    if not copy.is_file():
        print(f"error: {backup} holds no {BACKUP_NAME}", file=sys.stderr)
        return EXIT_USAGE
    check = sqlite3.connect(copy)
    try:
        ok = check.execute("PRAGMA integrity_check").fetchone()[0]
        revision = check.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        print(f"error: {copy} is not a mercury-kg state database: {exc}", file=sys.stderr)
        return EXIT_DATA
    finally:
        check.close()
    if ok != "ok":
        print(f"error: {copy} fails SQLite's integrity check: {ok}", file=sys.stderr)
        return EXIT_DATA
    target = DataDir.resolve(data_dir)
    try:
        dst = target.connect()
    except DataDirError:  # the state it replaces is damaged: keep it aside, restore anew
        moved = target.set_aside()
        print(f"kept the damaged state as {moved}", file=sys.stderr)
        dst = target.connect()
    src = sqlite3.connect(copy)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    print(f"restored {copy} into {target.state_db} (published revision {revision})")
    return EXIT_OK
