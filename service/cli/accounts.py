"""``mercury-kg accounts``: add, list and revoke the accounts of the write path.

``add`` prints the new token as the last line of stdout, once; only its scrypt hash is kept
(graph.contrib.accounts). A partner account's organisation must be one of the graph's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import ORG, RDF

from graph.compile.build import build_dataset
from graph.contrib import accounts
from graph.contrib.datadir import DataDir
from graph.namespaces import GMPD, shorten
from graph.query.catalog import ParamError, parse_iri

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``accounts`` and its three actions."""
    p = sub.add_parser("accounts", help="add, list or revoke write-path accounts")
    p.add_argument(
        "--data-dir", type=Path, help="state folder (default $MERCURY_KG_DATA_DIR or ./data)"
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = actions.add_parser("add", help="create an account and print its token (shown once)")
    a.add_argument("--org", required=True, help="the organisation it acts for (org/gov-norway)")
    a.add_argument("--role", required=True, choices=accounts.ROLES)
    a.add_argument("--name", default="", help="who holds it (a person or a desk)")
    actions.add_parser("list", help="list accounts (never their tokens)")
    r = actions.add_parser("revoke", help="revoke an account; it stays in the history")
    r.add_argument("id", help="the account id (from 'accounts list')")


def organisation(value: str) -> URIRef:
    """The graph's organisation named by ``value``.

    Raises:
        ValueError: not an IRI, or not an organisation of the graph.
    """
    try:
        iri = parse_iri(value, "--org")
    except ParamError as exc:
        raise ValueError(str(exc)) from exc
    dataset = build_dataset().dataset
    if not any(dataset.quads((iri, RDF.type, ORG.Organization, None))):
        raise ValueError(f"--org: {shorten(str(iri))} is not an organisation of the graph")
    return iri


def run(args: argparse.Namespace) -> int:
    """Run one ``accounts`` action; return the exit code."""
    conn = DataDir.resolve(args.data_dir).connect()
    try:
        if args.action == "add":
            try:
                org = organisation(args.org)
            except ValueError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return EXIT_USAGE
            account, token = accounts.add(conn, str(org), args.role, args.name)
            print(f"account {account.id}: {args.role} for {_short(account.org)}")
            print("the token below is shown once; keep it secret (Authorization: Bearer TOKEN)")
            print(token)
            return EXIT_OK
        if args.action == "list":
            for a in accounts.listing(conn):
                state = f"revoked {a.revoked}" if a.revoked else "active"
                print(f"{a.id}\t{a.role}\t{_short(a.org)}\t{a.name}\t{a.created}\t{state}")
            return EXIT_OK
        try:
            account = accounts.revoke(conn, args.id)
        except accounts.AccountError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_DATA
        print(f"account {account.id} revoked")
        return EXIT_OK
    finally:
        conn.close()


def _short(iri: str) -> str:
    return iri.removeprefix(str(GMPD))
