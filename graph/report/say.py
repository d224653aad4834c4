"""The report's words, read from one Jinja2 template per section (``graph/report/wording/``).

Every template has one shape: a ``{% block %}`` per piece of wording, named ``title`` (the
section's heading), ``sentence_*`` (a sentence or paragraph), ``table_*`` (a table's title),
``columns_*`` (its column headings, split on ``|``) and ``empty_*`` (what a table says when it has
no row). Values are given as ``{{ name }}``; a figure given as a value stays a figure (a link to
its passages) in the sentence. Runs of spaces and line breaks are one space, so a secretariat may
wrap lines as it likes. ``docs/report-wording.md`` lists each file's blocks and the values each
may use.

A directory named by ``MERCURY_KG_REPORT_WORDING`` overrides the shipped files one by one (a
file of the same name there is read instead), so an installed package can be reworded without
touching it. Jinja2: https://jinja.palletsprojects.com/en/stable/templates/.
"""

from __future__ import annotations

import os
import re
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    UndefinedError,
    meta,
    nodes,
)

from graph.report.model import Figure, Part, Table

SHIPPED = Path(__file__).resolve().parent / "wording"
"""The wording the package ships, one ``<section>.j2`` per section."""
OVERRIDE = "MERCURY_KG_REPORT_WORDING"
"""The environment variable naming a directory of reworded templates."""
SUFFIX = ".j2"

_SLOTS: ContextVar[list[Figure]] = ContextVar("slots")
_SLOT = re.compile("\ue000(\\d+)\ue001")
_SPACE = re.compile(r"\s+")


class WordingError(ValueError):
    """A wording template that cannot be read or rendered; the message names file and block."""


def _finalize(value: Any) -> Any:
    """A figure becomes a marker the sentence is split on; anything else prints as itself."""
    if isinstance(value, Figure):
        slots = _SLOTS.get()
        slots.append(value)
        return f"\ue000{len(slots) - 1}\ue001"
    return value


@lru_cache(maxsize=8)
def _environment(override: str) -> Environment:
    loaders = [FileSystemLoader(override)] if override else []
    return Environment(
        loader=ChoiceLoader([*loaders, FileSystemLoader(SHIPPED)]),
        undefined=StrictUndefined,
        autoescape=False,  # noqa: S701 plain text here; report.html escapes it on output
        finalize=_finalize,
        keep_trailing_newline=False,
    )


def environment() -> Environment:
    """The templates' environment: the override directory first (when set), then the shipped."""
    return _environment(os.environ.get(OVERRIDE, ""))


def where(section: str) -> str:
    """The file a section's wording is read from."""
    name = section + SUFFIX
    override = os.environ.get(OVERRIDE, "")
    if override and (Path(override) / name).is_file():
        return str(Path(override) / name)
    return str(SHIPPED / name)


def _template(section: str) -> Template:
    try:
        return environment().get_template(section + SUFFIX)
    except TemplateSyntaxError as exc:
        raise WordingError(f"{where(section)}, line {exc.lineno}: {exc.message}") from None
    except TemplateError as exc:
        raise WordingError(f"{where(section)}: {exc}") from None


def has(section: str, block: str) -> bool:
    """Whether a section's wording has ``block``."""
    return block in _template(section).blocks


def parts(section: str, block: str, **values: Any) -> list[Part]:
    """A block rendered with ``values``: its text, and each figure given as a value in place."""
    template = _template(section)
    render = template.blocks.get(block)
    if render is None:
        raise WordingError(f"{where(section)} has no block {block!r} (the report needs it)")
    slots: list[Figure] = []
    token = _SLOTS.set(slots)
    try:
        text = "".join(render(template.new_context(values)))
    except UndefinedError as exc:
        given = ", ".join(sorted(values)) or "none"
        raise WordingError(
            f"{where(section)}, block {block!r}: {exc.message}; the values it may use: {given}"
        ) from None
    except TemplateError as exc:
        raise WordingError(f"{where(section)}, block {block!r}: {exc}") from None
    finally:
        _SLOTS.reset(token)
    out: list[Part] = []
    for i, piece in enumerate(_SLOT.split(_SPACE.sub(" ", text).strip())):
        if i % 2:
            out.append(slots[int(piece)])
        elif piece:
            out.append(piece)
    return out


def text(section: str, block: str, **values: Any) -> str:
    """A block rendered with ``values`` as plain text (a title, a heading, a caption)."""
    return "".join(p if isinstance(p, str) else p.text for p in parts(section, block, **values))


def columns(section: str, block: str, **values: Any) -> tuple[str, ...]:
    """A ``columns_*`` block: the headings, split on ``|``."""
    return tuple(c.strip() for c in text(section, block, **values).split("|"))


def table(section: str, name: str, key: str, query: str, **values: Any) -> Table:
    """A table worded by the blocks ``table_<name>``, ``columns_<name>`` and ``empty_<name>``.

    Without an ``empty_<name>`` block, an empty table says ``report.j2``'s ``empty_table``.
    """
    empty = f"empty_{name}"
    return Table(
        key,
        text(section, f"table_{name}", **values),
        columns(section, f"columns_{name}", **values),
        query,
        empty=text(section, empty, **values)
        if has(section, empty)
        else text("report", "empty_table"),
    )


def blocks(path: Path) -> dict[str, tuple[int, frozenset[str]]]:
    """Each block of a template file: its line and the values it uses (for docs and checks)."""
    env = environment()
    try:
        tree = env.parse(path.read_text(encoding="utf-8"), path.name, str(path))
    except TemplateSyntaxError as exc:
        raise WordingError(f"{path}, line {exc.lineno}: {exc.message}") from None
    out: dict[str, tuple[int, frozenset[str]]] = {}
    for block in tree.find_all(nodes.Block):
        body = nodes.Template(block.body, lineno=block.lineno)
        body.set_environment(env)
        out[block.name] = (block.lineno, frozenset(meta.find_undeclared_variables(body)))
    return out


def check() -> list[str]:
    """What is wrong with the wording in use: a file that does not parse, a block it lacks.

    Each shipped file is compared with the one read instead of it (``MERCURY_KG_REPORT_WORDING``);
    an empty list when every block the report needs is there.
    """
    problems: list[str] = []
    for shipped in sorted(SHIPPED.glob("*" + SUFFIX)):
        section = shipped.name.removesuffix(SUFFIX)
        used = Path(where(section))
        try:
            needed, found = blocks(shipped), blocks(used)
        except WordingError as exc:
            problems.append(str(exc))
            continue
        problems += [
            f"{used} has no block {b!r} (the report needs it)" for b in needed if b not in found
        ]
    return problems
