"""``mercury-kg notices``: list an account's notices, or send the outbox by e-mail.

``send`` mails every notice not yet sent to accounts that gave an address, through the SMTP
server of ``MERCURY_KG_SMTP_HOST`` (port ``MERCURY_KG_SMTP_PORT``, default 25; sender
``MERCURY_KG_SMTP_FROM``); links point at ``MERCURY_KG_PUBLIC_URL``. Run it from cron or a timer;
without an SMTP host it says so and sends nothing (the feeds need none).
"""

from __future__ import annotations

import argparse
import os
import smtplib
import sys
from pathlib import Path

from graph.contrib import notices
from graph.contrib.datadir import DataDir

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``notices`` and its two actions."""
    p = sub.add_parser("notices", help="list an account's notices, or e-mail the outbox")
    p.add_argument(
        "--data-dir", type=Path, help="state folder (default $MERCURY_KG_DATA_DIR or ./data)"
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = actions.add_parser("list", help="an account's latest notices, newest first")
    a.add_argument("account", help="the account id (from 'accounts list')")
    actions.add_parser("send", help="e-mail the notices not yet sent (needs MERCURY_KG_SMTP_HOST)")


def run(args: argparse.Namespace) -> int:
    """Run one ``notices`` action; return the exit code."""
    conn = DataDir.resolve(args.data_dir).connect()
    try:
        if args.action == "list":
            for n in notices.feed(conn, args.account):
                print(f"{n.at}\t{n.kind}\t{n.submission}\t{n.title}")
            return EXIT_OK
        host = os.environ.get("MERCURY_KG_SMTP_HOST", "")
        if not host:
            print("error: set MERCURY_KG_SMTP_HOST to send the outbox", file=sys.stderr)
            return EXIT_USAGE
        port = int(os.environ.get("MERCURY_KG_SMTP_PORT", "25"))
        sender = os.environ.get("MERCURY_KG_SMTP_FROM", "mercury-kg@localhost")
        base = os.environ.get("MERCURY_KG_PUBLIC_URL", "http://127.0.0.1:8000")
        try:
            sent = notices.send(conn, host, port, sender, base)
        except (OSError, smtplib.SMTPException) as exc:
            print(
                f"error: {host}:{port}: {exc}; unsent notices stay in the outbox", file=sys.stderr
            )
            return EXIT_DATA
        print(f"{sent} notice{'s' if sent != 1 else ''} sent")
        return EXIT_OK
    finally:
        conn.close()
