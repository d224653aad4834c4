"""``mercury-kg periods``: the reporting periods, and opening the next one.

``periods list`` prints the periods of the published graph (the curated build plus the data
directory's accepted submissions, or a running service's with ``--endpoint``), the open one
marked. ``periods open 2012-07/2014-06 --endpoint URL`` asks a running service to open one, with
a secretariat token in ``$MERCURY_KG_TOKEN``, so the service publishes it at once.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``periods list`` and ``periods open``."""
    p = sub.add_parser("periods", help="the reporting periods; open the next one")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="the periods, the open one marked")
    listing.add_argument("--endpoint", help="a running service's base URL (else the local graph)")
    listing.add_argument(
        "--data-dir", type=Path, help="state folder (default $MERCURY_KG_DATA_DIR)"
    )
    opening = actions.add_parser("open", help="open a period on a running service (secretariat)")
    opening.add_argument("period", help="START/END in months, e.g. 2012-07/2014-06")
    opening.add_argument("--label", default="", help='its name (default "July 2012 - June 2014")')
    opening.add_argument("--endpoint", required=True, help="the service's base URL")


def run(args: argparse.Namespace) -> int:
    """Run ``periods list`` or ``periods open``."""
    if args.action == "open":
        return _open(args.period, args.label, args.endpoint)
    periods = _remote(args.endpoint) if args.endpoint else _local(args.data_dir)
    if periods is None:
        return EXIT_USAGE
    for period in periods:
        mark = "  (open)" if period["open"] else ""
        print(f"{period['span']}\t{period['label']}\t{period['id']}{mark}")
    return EXIT_OK


def _local(data_dir: Path | None) -> list[dict[str, Any]]:
    from graph.compile.build import build_dataset
    from graph.contrib.datadir import DataDir
    from graph.contrib.folder import with_folder
    from graph.contrib.ledger import Ledger
    from graph.contrib.periods import open_period

    ledger = Ledger(DataDir.resolve(data_dir), with_folder(build_dataset()))
    try:
        periods = ledger.published().periods()
    finally:
        ledger.close()
    current = open_period(periods)
    return [p.as_json(current) for p in periods]


def _remote(endpoint: str) -> list[dict[str, Any]] | None:
    url = endpoint.rstrip("/") + "/api/periods"
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - operator's URL
            periods: list[dict[str, Any]] = json.loads(response.read())["periods"]
            return periods
    except (urllib.error.URLError, OSError, ValueError, KeyError) as exc:
        print(f"error: cannot read {url}: {exc}", file=sys.stderr)
        return None


def _open(span: str, label: str, endpoint: str) -> int:
    token = os.environ.get("MERCURY_KG_TOKEN", "").strip()
    if not token:
        print("error: set MERCURY_KG_TOKEN to a secretariat account's token", file=sys.stderr)
        return EXIT_USAGE
    request = urllib.request.Request(  # noqa: S310 (the operator's own endpoint)
        endpoint.rstrip("/") + "/api/periods",
        data=json.dumps({"period": span, "label": label}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            made = json.loads(response.read())
            print(f"opened {made['label']} ({made['span']}): {made['id']}")
            return EXIT_OK
    except urllib.error.HTTPError as exc:
        try:
            message = json.loads(exc.read()).get("error", exc.reason)
        except ValueError:
            message = exc.reason
        print(f"error: {exc.code}: {message}", file=sys.stderr)
        return EXIT_DATA if exc.code in (409, 422) else EXIT_USAGE
    except (urllib.error.URLError, OSError) as exc:
        print(f"error: cannot reach {endpoint}: {exc}", file=sys.stderr)
        return EXIT_USAGE
