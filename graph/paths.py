"""Where the project's source folders and build output live: a checkout, or an installed wheel.

In a checkout everything is under the repository root. An installed wheel (issue 29) carries
the curated data, the source text and the rules in the ``graph`` package, and the ontology,
shapes and queries under ``<prefix>/share/mercury-kg`` (``pyproject.toml``'s data files); its
build output goes to ``./build`` of the directory it runs in, or ``MERCURY_KG_BUILD_DIR``.
"""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
"""The folder holding the ``graph`` package: the repository root, or site-packages."""
CHECKOUT = (PACKAGE_ROOT / "ontology").is_dir()
"""Run from a checkout of the repository (else from an installed wheel)."""
SHARED = PACKAGE_ROOT if CHECKOUT else Path(sysconfig.get_path("data")) / "share" / "mercury-kg"
ROOT = PACKAGE_ROOT
ONTOLOGY_DIR = SHARED / "ontology"
DATA_DIR = PACKAGE_ROOT / "graph" / "data"
RULES_DIR = PACKAGE_ROOT / "graph" / "rules"
SHAPES_DIR = SHARED / "shapes"
QUERIES_DIR = SHARED / "queries"
SOURCE_TEXT = PACKAGE_ROOT / "graph" / "source" / "unep-gmp-progress-report-2010-2012.txt"
SOURCE_SHA256 = SOURCE_TEXT.with_name(SOURCE_TEXT.name + ".sha256")
SOURCE_STRUCTURE = SOURCE_TEXT.with_name("structure.yaml")
BUILD_DIR = Path(
    os.environ.get("MERCURY_KG_BUILD_DIR")
    or (PACKAGE_ROOT / "build" if CHECKOUT else Path.cwd() / "build")
)
