"""``mercury-kg report``: the progress report of a period, written from the graph.

``--period START/END`` (default: the open reporting period), ``--format html|pdf|md``
(default: the output file's suffix, else html), ``-o FILE`` (else stdout). An existing output that
the new edition would lose more than a quarter of the items of is kept unless ``--force``.
``--compare OTHER`` prints what changed from another edition: a file written by this command, or a
revision number of the data directory.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from graph.compile.build import Build, atomic_write, build_dataset
from graph.contrib.datadir import DataDir
from graph.query.catalog import NamedQuery, load_catalog
from graph.query.engine import EmbeddedEngine
from graph.report.compare import LOSS_LIMIT, EditionError, compare, explain, read_edition
from graph.report.context import PeriodError, parse_period
from graph.report.edition import FORMATS, edition, render
from graph.report.say import WordingError

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``report``."""
    p = sub.add_parser("report", help="write the progress report of a period from the graph")
    p.add_argument(
        "--period", help="START/END, e.g. 2012-07/2014-06 (default: the open reporting period)"
    )
    p.add_argument("--format", choices=FORMATS, help="html, pdf or md (default: by -o's suffix)")
    p.add_argument("-o", "--output", type=Path, help="write to FILE (atomically) instead of stdout")
    p.add_argument("--force", action="store_true", help="overwrite even a much fuller report")
    p.add_argument(
        "--compare",
        metavar="OTHER",
        help="list what changed from another edition (a report file, or a data-dir revision)",
    )
    p.add_argument(
        "--public-url",
        "--query-base",
        dest="public_url",
        default=os.environ.get("MERCURY_KG_PUBLIC_URL") or None,
        help="the service's public base URL, which every link points to (default "
        "$MERCURY_KG_PUBLIC_URL, else http://127.0.0.1:8000)",
    )
    p.add_argument(
        "--data-dir",
        type=Path,
        help="accepted contributions of this state folder are included (default "
        "$MERCURY_KG_DATA_DIR or ./data, where it exists)",
    )


def run(args: argparse.Namespace) -> int:
    """Write, or compare, the report."""
    try:
        period = parse_period(args.period) if args.period else None
    except PeriodError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    fmt = args.format or _format_of(args.output)
    if fmt == "pdf" and args.output is None and sys.stdout.isatty():
        print("error: a pdf report needs -o FILE (or a pipe)", file=sys.stderr)
        return EXIT_USAGE
    state = DataDir.resolve(args.data_dir)
    revision, build = _published(state, None)
    catalog = load_catalog()
    try:
        report = edition(
            EmbeddedEngine.from_dataset(build.dataset), catalog, revision, period, not args.compare
        )
    except WordingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA
    if args.compare:
        return _compare(args.compare, state, catalog, period, report.data)
    base = (args.public_url or LOCAL).rstrip("/")
    data = render(report, fmt, base, lambda iri: _public(base, iri))
    if args.output is None:
        sys.stdout.buffer.write(data)
        return EXIT_OK
    if args.output.exists() and not args.force:
        try:
            old = read_edition(args.output)
        except EditionError:
            old = None
        if old is not None:
            c = compare(old, report.data)
            if c.lost_share > LOSS_LIMIT:
                print(
                    f"error: {args.output} has {len(old['items'])} items; this edition would "
                    f"drop {len(c.items_dropped)} of them ({c.lost_share:.0%}, more than "
                    f"{LOSS_LIMIT:.0%}). Nothing was written; see what would go with --compare "
                    f"{args.output}, or replace it with --force.",
                    file=sys.stderr,
                )
                return EXIT_DATA
    atomic_write(args.output, data)
    print(
        f"wrote {args.output}: {len(report.figures())} figures, {len(report.items())} items, "
        f"revision {report.revision}",
        file=sys.stderr,
    )
    return EXIT_OK


LOCAL = "http://127.0.0.1:8000"
"""Where links point when no public URL is given: the service ``make serve`` starts."""


def _public(base: str, iri: str) -> str:
    """Where a resource links: its page on the public service (an outside IRI stays itself)."""
    from service.pages.links import href

    target = href(iri)
    if target is None:
        return iri
    return base + target if target.startswith("/") else target


SUFFIXES = {"html": "html", "htm": "html", "md": "md", "markdown": "md", "pdf": "pdf"}


def _format_of(output: Path | None) -> str:
    """The format an output file's suffix names (html when it names none)."""
    return SUFFIXES.get(output.suffix.lower().lstrip(".") if output else "", "html")


def _published(state: DataDir, at: int | None) -> tuple[int, Build]:
    """The published revision and graph (at revision ``at``, if given)."""
    from graph.contrib.folder import with_folder

    build = with_folder(build_dataset())
    if not state.state_db.is_file():
        if at not in (None, 0):
            raise EditionError(f"{state.path} holds no revisions (no state.sqlite3)")
        return 0, build
    from graph.contrib.ledger import Ledger

    ledger = Ledger(state, build)
    try:
        if at is None:
            return ledger.revision(), ledger.published().build
        return at, ledger.published_at(at)
    finally:
        ledger.close()


def _compare(
    other: str,
    state: DataDir,
    catalog: dict[str, NamedQuery],
    period: tuple[date, date] | None,
    new: dict[str, Any],
) -> int:
    path = Path(other)
    try:
        if path.exists():
            old = read_edition(path)
        elif other.isdigit():
            revision, build = _published(state, int(other))
            old = edition(
                EmbeddedEngine.from_dataset(build.dataset),
                catalog,
                revision,
                period,
                figures=False,
            ).data
        else:
            print(
                f"error: --compare {other}: no such file, and not a revision number",
                file=sys.stderr,
            )
            return EXIT_USAGE
    except (EditionError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA
    for line in explain(compare(old, new), _retractions(state)).lines():
        print(line)
    return EXIT_OK


def _retractions(state: DataDir) -> Callable[[str], str | None]:
    """Why a record is no longer published, when a retraction took it out (from the history)."""
    if not state.state_db.is_file():
        return lambda rid: None
    from graph.contrib.history import tombstone

    conn = state.connect()

    def gone(rid: str) -> str | None:
        found = tombstone(conn, rid)
        if found is None:
            return None
        return f"on {found['retracted'][:10]}, {found['reason']} (submission {found['submission']})"

    return gone
