"""Where the project's source folders and build output live, relative to the repository root."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
DATA_DIR = ROOT / "graph" / "data"
RULES_DIR = ROOT / "graph" / "rules"
SHAPES_DIR = ROOT / "shapes"
QUERIES_DIR = ROOT / "queries"
SOURCE_TEXT = ROOT / "graph" / "source" / "unep-gmp-progress-report-2010-2012.txt"
SOURCE_SHA256 = SOURCE_TEXT.with_name(SOURCE_TEXT.name + ".sha256")
BUILD_DIR = ROOT / "build"
