"""``mercury-kg accounts``: add, list and revoke the accounts of the write path.

``add`` prints the new token as the last line of stdout, once; only its scrypt hash is kept
(graph.contrib.accounts). An account's organisation must be one of the published graph's (the
curated build and every accepted submission); an area lead's areas must be partnership areas.
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
from graph.contrib.ledger import Ledger
from graph.contrib.roles import AREA
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
    a.add_argument(
        "--area",
        action="append",
        default=[],
        help="a partnership area an area lead reviews (area/asgm); repeat for several",
    )
    a.add_argument("--name", default="", help="who holds it (a person or a desk)")
    a.add_argument("--email", default="", help="where its notices are sent (optional)")
    actions.add_parser("list", help="list accounts (never their tokens)")
    r = actions.add_parser("revoke", help="revoke an account; it stays in the history")
    r.add_argument("id", help="the account id (from 'accounts list')")


def _node(value: str, option: str, kind: URIRef, what: str, ledger: Ledger) -> URIRef:
    """The published graph's node named by ``value``, of class ``kind``.

    Raises:
        ValueError: not an IRI or id, or not a ``what`` of the published graph.
    """
    try:
        iri = parse_iri(value, option)
    except ParamError as exc:
        raise ValueError(str(exc)) from exc
    if (iri, RDF.type, kind) not in ledger.published().abox():
        raise ValueError(f"{option}: {shorten(str(iri))} is not {what} of the graph")
    return iri


def _add(args: argparse.Namespace, data_dir: DataDir) -> int:
    ledger = Ledger(data_dir, build_dataset())
    try:
        org = _node(args.org, "--org", ORG.Organization, "an organisation", ledger)
        areas = tuple(
            str(_node(a, "--area", AREA, "a partnership area", ledger)) for a in args.area
        )
        account, token = accounts.add(
            ledger.conn, str(org), args.role, args.name, areas, args.email
        )
    except (ValueError, accounts.AccountError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        ledger.close()
    leads = f" leading {', '.join(_short(a) for a in areas)}" if areas else ""
    print(f"account {account.id}: {args.role} for {_short(account.org)}{leads}")
    print("the token below is shown once; keep it secret (Authorization: Bearer TOKEN)")
    print(token)
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Run one ``accounts`` action; return the exit code."""
    data_dir = DataDir.resolve(args.data_dir)
    if args.action == "add":
        return _add(args, data_dir)
    conn = data_dir.connect()
    try:
        if args.action == "list":
            for a in accounts.listing(conn):
                state = f"revoked {a.revoked}" if a.revoked else "active"
                areas = ",".join(_short(x) for x in a.areas)
                print(
                    f"{a.id}\t{a.role}\t{_short(a.org)}\t{a.name}\t{a.created}\t{state}"
                    + (f"\t{areas}" if areas else "")
                )
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
