"""What a test of the write path does first, as the secretariat does: open a reporting period.

Partners report on a period the secretariat has opened; the curated graph holds only the seed
report's (July 2010 - June 2012), so tests that submit the example (which reports on July 2012 -
June 2013) open July 2012 - June 2014 first, through the same ledger the service uses.
"""

from __future__ import annotations

from pathlib import Path

from graph.compile.build import Build, build_dataset
from graph.contrib import accounts
from graph.contrib.datadir import DataDir
from graph.contrib.folder import with_folder
from graph.contrib.ledger import Ledger

NEXT = "2012-07/2014-06"
ORG = "https://w3id.org/mercury-kg/id/org/"


def open_period(data: Path, build: Build | None = None, span: str = NEXT) -> None:
    """Open ``span`` in ``data`` as its first secretariat account (made if there is none).

    Over ``build`` (default: the curated build, as the service has it).
    """
    conn = DataDir(data).connect()
    try:
        found = [a for a in accounts.listing(conn) if a.role == "secretariat" and a.active]
        secretariat = found[0] if found else accounts.add(conn, ORG + "unep", "secretariat")[0]
    finally:
        conn.close()
    ledger = Ledger(DataDir(data), build if build is not None else with_folder(build_dataset()))
    try:
        ledger.open_period(secretariat, span)
    finally:
        ledger.close()
