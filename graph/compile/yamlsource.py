"""Read curated YAML data files, keeping the file and line of every record for error messages.

Dates are left as the strings the curator typed ("2011-11", "2010-12-07"): YAML's implicit
timestamp conversion would turn a day into a ``datetime.date`` and a month into nothing useful.
YAML 1.1 spec: https://yaml.org/spec/1.1/
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    lines: dict[str, int] = field(default_factory=dict)
    """The line of each key (YAML); a key not in it is on the record's line."""

    def error(self, message: str, key: str | None = None) -> DataError:
        """Return a DataError that points at this record (at ``key``'s line, if given)."""
        rid = self.fields.get("id", "?")
        line = self.lines.get(key, self.line) if key else self.line
        return DataError(self.file, line, f"record {rid!r}: {message}")


BOOKKEEPING = ("__line__", "__lines__")
"""Keys the loader adds to each mapping: its line, and the line of each of its keys."""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader without timestamps, recording each mapping's line and its keys' lines."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = dict(loader.construct_mapping(node, deep=True))
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = {
        key.value: key.start_mark.line + 1
        for key, _value in node.value
        if isinstance(key, yaml.ScalarNode)
    }
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _StrictLoader(yaml.SafeLoader):
    """The loader for YAML from strangers: no anchors or aliases, so nothing expands.

    ``safe_load`` does not bound alias expansion (a 414-byte document of nested aliases grows
    without end once walked); partners never need either, so both are refused while composing,
    before anything is built. Pure Python, because the C composer cannot be hooked.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Refuse an alias or an anchored node, naming its line."""
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            what = "an alias (*name)" if isinstance(event, yaml.AliasEvent) else "an anchor (&name)"
            raise yaml.composer.ComposerError(
                None, None, f"{what} is not accepted here; write each value out", event.start_mark
            )
        return super().compose_node(parent, index)


_StrictLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


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


def parse_yaml(text: str, path: Path, strict: bool = False) -> Any:
    """Parse YAML safely, without timestamps, each mapping keeping its line as ``__line__``.

    ``strict`` (YAML from outside): anchors and aliases are refused.

    Raises:
        DataParseError: the text is not YAML (with the line where the parser gave up).
    """
    try:
        return yaml.load(text, Loader=_StrictLoader if strict else _Loader)  # noqa: S506
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise DataParseError(path, line, f"YAML syntax: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise DataParseError(path, None, f"YAML: {exc}") from exc
    except RecursionError as exc:
        raise DataParseError(path, None, "YAML: nested too deeply") from exc


def records_of(items: list[Any], path: Path) -> list[Record]:
    """Records from a parsed ``records`` list (lines from ``__line__``, else their position)."""
    records = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise DataParseError(path, None, f"record {n} must be a mapping, got {item!r}")
        line = item.pop("__line__", 0)
        lines = item.pop("__lines__", {})
        records.append(
            Record(
                fields=strip_lines(item),
                file=path,
                line=line if isinstance(line, int) else 0,
                lines=lines if isinstance(lines, dict) else {},
            )
        )
    return records


def strip_lines(value: Any) -> Any:
    """Remove the loader's bookkeeping (``__line__``, ``__lines__``) from nested mappings."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k not in BOOKKEEPING}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value
