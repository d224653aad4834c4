"""The ``mercury-kg`` command line.

Exit codes: 0 success; 1 the data or query is at fault; 2 usage errors (and, for ``validate``,
files that do not parse). Messages name the file, line or entity at fault.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from graph import paths
from graph.compile.build import Build, build_dataset, class_counts, data_files, write_outputs
from graph.compile.yamlsource import DataError
from graph.contrib.datadir import DataDir, DataDirError
from graph.query.catalog import support
from graph.query.engine import EmbeddedEngine

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


def _version() -> str:
    """The installed package's version (``pyproject.toml``)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mercury-kg")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mercury-kg",
        description="Knowledge graph of the UNEP Global Mercury Partnership (report 2010-2012).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("build", help="build the dataset, dumps and ontology docs into build/")
    p.add_argument(
        "--out", type=Path, default=paths.BUILD_DIR, help="output folder (default build/)"
    )
    p = sub.add_parser("validate", help="check the graph (or the given files) against the shapes")
    p.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="curated .yaml files (replacing those of the same name) or RDF files",
    )
    p = sub.add_parser("export", help="print the whole graph in an RDF format")
    p.add_argument("--format", default="ttl", choices=["ttl", "trig", "nt", "nq", "jsonld", "xml"])
    p.add_argument("-o", "--output", type=Path, help="write to FILE (atomically) instead of stdout")
    p.add_argument(
        "--data-dir",
        type=Path,
        help="the accepted contributions of this state folder are included (default "
        "$MERCURY_KG_DATA_DIR or ./data, where it exists)",
    )
    sub.add_parser("stats", help="count instances by class")
    p = sub.add_parser("query", help="run a named query (see --list)")
    p.add_argument("name", nargs="?", help="the query's name")
    p.add_argument("--list", action="store_true", help="list the named queries")
    p.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--format", default="table", choices=["table", "csv", "tsv", "json"])
    p.add_argument("--endpoint", help="a SPARQL 1.1 endpoint URL instead of the embedded store")
    p = sub.add_parser("sparql", help="run a SPARQL SELECT query given inline or in a file")
    p.add_argument("query", nargs="?", help="the query text")
    p.add_argument("-f", "--file", type=Path, help="read the query from FILE")
    p.add_argument("--format", default="table", choices=["table", "csv", "tsv", "json"])
    p.add_argument("--endpoint", help="a SPARQL 1.1 endpoint URL instead of the embedded store")
    p = sub.add_parser(
        "push", help="load the graph into a remote store (SPARQL Graph Store Protocol)"
    )
    p.add_argument(
        "--endpoint",
        required=True,
        help="the Graph Store Protocol URL, e.g. http://host:8890/sparql-graph-crud-auth",
    )
    p.add_argument("--graph", help="put everything into this one named graph (default: keep ours)")
    p.add_argument(
        "--data-dir",
        type=Path,
        help="the accepted contributions of this state folder are included (default "
        "$MERCURY_KG_DATA_DIR or ./data, where it exists)",
    )
    p = sub.add_parser("network", help="the partnership as a network: export or metrics")
    p.add_argument(
        "--view",
        default="full",
        choices=["full", "donors", "coinvolvement"],
        help="full network (default), donors -> areas -> countries, or organisation co-involvement",
    )
    p.add_argument("--focus", help="only the neighbourhood of this resource (IRI or data id)")
    p.add_argument("--depth", type=int, default=1, help="links from --focus (default 1)")
    p.add_argument(
        "--as-of", type=date.fromisoformat, help="only links that may hold on YYYY-MM-DD"
    )
    p.add_argument("--metrics", action="store_true", help="print a table of node metrics")
    p.add_argument(
        "--format",
        default="gexf",
        choices=["gexf", "graphml", "cyjs", "json", "csv", "png", "svg"],
        help="export format (default gexf); png and svg draw a figure",
    )
    p.add_argument(
        "--size-by",
        default="degree",
        choices=["degree", "weighted_degree", "betweenness"],
        help="node size in figures and GEXF (default degree)",
    )
    p.add_argument("-o", "--output", type=Path, help="write to FILE (atomically) instead of stdout")
    p = sub.add_parser("serve", help="serve the graph on localhost")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--endpoint", help="run named queries on this SPARQL endpoint instead")
    p.add_argument(
        "--data-dir", help="the write path's state folder (default $MERCURY_KG_DATA_DIR or ./data)"
    )
    from service.cli import accounts, contrib, notices, periods, report

    accounts.add_parser(sub)
    notices.add_parser(sub)
    periods.add_parser(sub)
    contrib.add_parsers(sub)
    report.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            from service.cli.validate import run_validate

            return run_validate(args.files)
        if args.command == "query":
            from service.cli.query import run_query

            return run_query(args.name, args.param, args.format, args.endpoint, args.list)
        if args.command == "sparql":
            from service.cli.query import run_sparql

            return run_sparql(args.query, args.file, args.format, args.endpoint)
        if args.command == "network":
            from service.cli.network import run_network

            return run_network(args)
        if args.command == "report":
            from service.cli.report import run as run_report

            return run_report(args)
        if args.command == "accounts":
            from service.cli.accounts import run as run_accounts

            return run_accounts(args)
        if args.command == "notices":
            from service.cli.notices import run as run_notices

            return run_notices(args)
        if args.command == "periods":
            from service.cli.periods import run as run_periods

            return run_periods(args)
        if args.command in ("submit", "backup", "restore", "submissions"):
            from service.cli import contrib

            if args.command == "submissions":
                return contrib.run_export(args.dir, args.data_dir)
            if args.command == "submit":
                return contrib.run_submit(args.file, args.endpoint)
            if args.command == "backup":
                return contrib.run_backup(args.dir, args.data_dir)
            return contrib.run_restore(args.dir, args.data_dir)
        if args.command == "serve":
            if args.data_dir:
                os.environ["MERCURY_KG_DATA_DIR"] = args.data_dir
            return _serve(args.host, args.port, args.endpoint)
        from graph.contrib.folder import with_folder

        build = with_folder(build_dataset())
        if args.command in ("export", "push"):
            from graph.contrib.datadir import DataDir

            state = DataDir.resolve(args.data_dir)
            if state.state_db.is_file():
                build = _with_ledger(build, state.path)
        if args.command == "build":
            return _build(build, args.out)
        if args.command == "export":
            return _export(build, args.format, args.output)
        if args.command == "stats":
            return _stats(build)
        return _push(build, args.endpoint, args.graph)
    except (DataError, DataDirError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_DATA


def _with_ledger(build: Build, data_dir: Path) -> Build:
    """The build plus the data directory's accepted submissions (the published graph)."""
    from graph.contrib.ledger import Ledger

    ledger = Ledger(DataDir.resolve(data_dir), build)
    try:
        return ledger.published().build
    finally:
        ledger.close()


def _build(build: Build, out: Path) -> int:
    from graph.compile.build import relative_path
    from graph.publish.docs import write_ontology_docs

    started = time.perf_counter()
    written = write_outputs(build, out)
    written.append(write_ontology_docs(build.ontology(), out / "docs"))
    for path in written:
        print(f"wrote {relative_path(str(path))}")
    print(
        f"{len(build.dataset)} quads from {len(data_files())} data files "
        f"({time.perf_counter() - started:.2f} s to write)"
    )
    return EXIT_OK


def _export(build: Build, fmt: str, output: Path | None) -> int:
    from graph.compile.build import atomic_write
    from graph.publish.export import serialize

    text = serialize(build.dataset, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        atomic_write(output, text)
    return EXIT_OK


def _stats(build: Build) -> int:
    counts = class_counts(build)
    engine = EmbeddedEngine.from_dataset(build.dataset)
    figures = {str(f): int(str(n)) for f, n in engine.select(support("figures").text).rows}
    print(
        json.dumps(
            {
                "quads": len(build.dataset),
                "figures": figures,
                "graphs": sorted(str(g.identifier) for g in build.dataset.graphs() if len(g)),
                "classes": dict(sorted(counts.items())),
            },
            indent=1,
        )
    )
    return EXIT_OK


def _push(build: Build, endpoint: str, graph: str | None) -> int:
    from graph.query.engine import QueryError
    from graph.query.remote import PASSWORD_ENV, USER_ENV, push

    try:
        sent = push(build.dataset, endpoint, graph)
    except QueryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print(
            f"(credentials, if needed, come from ${USER_ENV} and ${PASSWORD_ENV})", file=sys.stderr
        )
        return EXIT_DATA
    print(f"pushed {sent} triples to {endpoint}" + (f" into graph <{graph}>" if graph else ""))
    return EXIT_OK


def _serve(host: str, port: int, endpoint: str | None) -> int:
    from service.server.run import run
    from service.server.settings import SettingError

    if endpoint:
        os.environ["MERCURY_KG_ENDPOINT"] = endpoint
    try:  # a busy port, unusable wording or a damaged data directory: refused before "serving"
        run(
            host,
            port,
            announce=f"mercury-kg: serving on http://{host}:{port}/ (query editor), /sparql, "
            "/api/queries, /id/..., /dataset, /docs",
        )
    except SettingError as exc:
        print(f"mercury-kg serve: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def run() -> None:
    """Console-script entry point; a closed pipe (``| head``) ends the output quietly."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader has gone: point stdout at nothing so that the interpreter's final flush
        # does not fail again (https://docs.python.org/3/library/signal.html#note-on-sigpipe)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_OK
    sys.exit(code)


if __name__ == "__main__":
    run()
