"""Read curated YAML data files, keeping the file and line of every record for error messages.

Dates are left as the strings the curator typed ("2011-11", "2010-12-07"): YAML's implicit
timestamp conversion would turn a day into a ``datetime.date`` and a month into nothing useful.
YAML 1.1 spec: https://yaml.org/spec/1.1/
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class DataError(Exception):
    """A fault in the curated data, located at a file and line."""

    def __init__(self, file: Path | str, line: int | None, message: str) -> None:
        self.file = str(file)
        self.line = line
        self.message = message
        where = f"{self.file}:{line}" if line else self.file
        super().__init__(f"{where}: {message}")


class DataParseError(DataError):
    """A file that is not well-formed YAML or RDF."""


@dataclass(frozen=True)
class Record:
    """One curated record: its fields as written, and where it was written."""

    fields: dict[str, Any]
    file: Path
    line: int

    def error(self, message: str) -> DataError:
        """Return a DataError that points at this record."""
        rid = self.fields.get("id", "?")
        return DataError(self.file, self.line, f"record {rid!r}: {message}")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader without timestamp resolution, recording each mapping's line as ``__line__``."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = dict(loader.construct_mapping(node, deep=True))
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_records(path: Path) -> list[Record]:
    """Parse one data file into records.

    The file holds a mapping with a ``records`` list (and optional documentation keys).

    Raises:
        DataParseError: the file is not YAML, or not of that shape.
    """
    doc = parse_yaml(path.read_text(encoding="utf-8"), path)
    if not isinstance(doc, dict) or not isinstance(doc.get("records"), list):
        raise DataParseError(path, 1, "expected a mapping with a 'records:' list")
    return records_of(doc["records"], path)


def parse_yaml(text: str, path: Path) -> Any:
    """Parse YAML safely, without timestamps, each mapping keeping its line as ``__line__``.

    Raises:
        DataParseError: the text is not YAML (with the line where the parser gave up).
    """
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise DataParseError(path, line, f"YAML syntax: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise DataParseError(path, None, f"YAML: {exc}") from exc


def records_of(items: list[Any], path: Path) -> list[Record]:
    """Records from a parsed ``records`` list (lines from ``__line__``, else their position)."""
    records = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise DataParseError(path, None, f"record {n} must be a mapping, got {item!r}")
        line = int(item.pop("__line__", 0))
        records.append(Record(fields=strip_lines(item), file=path, line=line))
    return records


def strip_lines(value: Any) -> Any:
    """Remove the ``__line__`` bookkeeping from nested mappings."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value
