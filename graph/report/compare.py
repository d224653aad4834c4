"""Two editions of a report side by side: figures added, changed, dropped; items added, dropped.

An edition is read back from any rendering this package wrote (the data embedded in HTML,
Markdown or PDF, or the JSON itself). ``lost_share`` says how much of an older edition's items a
newer one would lose; ``mercury-kg report`` refuses to overwrite a file when that is more than a
quarter, unless forced.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.report.render_md import MARK
from graph.report.render_pdf import pdf_data

LOSS_LIMIT = 0.25
"""The share of an edition's items a replacement may lose without ``--force``."""

_SCRIPT = re.compile(r'<script type="application/json" id="report-data">(.*?)</script>', re.DOTALL)


class EditionError(ValueError):
    """A file that holds no report data (names the file)."""


def read_edition(path: Path) -> dict[str, Any]:
    """The report data embedded in a file written by ``mercury-kg report``."""
    raw = path.read_bytes()
    data: Any = None
    if raw.startswith(b"%PDF"):
        data = pdf_data(raw)
    else:
        text = raw.decode("utf-8", errors="replace")
        if (m := _SCRIPT.search(text)) is not None:
            data = _json(html.unescape(m.group(1)) if "&quot;" in m.group(1) else m.group(1))
        elif (at := text.rfind(MARK)) != -1:
            data = _json(text[at + len(MARK) :].rsplit("-->", 1)[0])
        elif text.lstrip().startswith("{"):
            data = _json(text)
    if not isinstance(data, dict) or not {"figures", "items"} <= set(data):
        raise EditionError(f"{path}: holds no report data (write it with mercury-kg report)")
    return data


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


@dataclass
class Comparison:
    """What changed from an older edition to a newer one."""

    old: dict[str, Any]
    new: dict[str, Any]
    figures_added: dict[str, str] = field(default_factory=dict)
    figures_changed: dict[str, tuple[str, str]] = field(default_factory=dict)
    figures_dropped: dict[str, str] = field(default_factory=dict)
    items_added: dict[str, str] = field(default_factory=dict)
    items_dropped: dict[str, str] = field(default_factory=dict)
    retracted: dict[str, str] = field(default_factory=dict)
    """Dropped items a retraction took out, with what the retraction says (``explain``)."""

    @property
    def lost_share(self) -> float:
        """The share of the older edition's items the newer one no longer has."""
        return len(self.items_dropped) / len(self.old["items"]) if self.old["items"] else 0.0

    def lines(self) -> list[str]:
        """The comparison as text, one change per line."""
        out = [
            f"old: {_edition(self.old)}",
            f"new: {_edition(self.new)}",
            f"figures: {len(self.figures_added)} added, {len(self.figures_changed)} changed, "
            f"{len(self.figures_dropped)} dropped; items: {len(self.items_added)} added, "
            f"{len(self.items_dropped)} dropped",
        ]
        out += [f"+ item {k}: {v}" for k, v in sorted(self.items_added.items())]
        if self.retracted:
            out.append(f"retracted: {len(self.retracted)} of the dropped items")
        for k, v in sorted(self.items_dropped.items()):
            why = self.retracted.get(k)
            out.append(f"- item {k}: {v}" + (f" (retracted {why})" if why else ""))
        out += [f"+ figure {k}: {v}" for k, v in sorted(self.figures_added.items())]
        out += [f"~ figure {k}: {a} -> {b}" for k, (a, b) in sorted(self.figures_changed.items())]
        out += [f"- figure {k}: {v}" for k, v in sorted(self.figures_dropped.items())]
        return out


def _edition(data: dict[str, Any]) -> str:
    period = "/".join(data.get("period") or [])
    return f"period {period}, revision {data.get('revision')}, catalogue {data.get('catalogue')}"


def compare(old: dict[str, Any], new: dict[str, Any]) -> Comparison:
    """The changes from ``old`` to ``new`` (both report data)."""
    c = Comparison(old, new)
    of, nf = old["figures"], new["figures"]
    c.figures_added = {k: nf[k] for k in nf.keys() - of.keys()}
    c.figures_dropped = {k: of[k] for k in of.keys() - nf.keys()}
    c.figures_changed = {k: (of[k], nf[k]) for k in of.keys() & nf.keys() if of[k] != nf[k]}
    oi, ni = old["items"], new["items"]
    c.items_added = {k: ni[k] for k in ni.keys() - oi.keys()}
    c.items_dropped = {k: oi[k] for k in oi.keys() - ni.keys()}
    return c


def explain(c: Comparison, gone: Callable[[str], str | None]) -> Comparison:
    """Name the dropped items a retraction took out.

    ``gone`` says, for a record id (``flow/norway-asgm-2013``), why it is no longer published
    (None when it was not retracted); an item's key holds the ids of the records it shows.
    """
    for key in c.items_dropped:
        parts = key.split("/")
        for i in range(len(parts) - 1):
            why = gone(f"{parts[i]}/{parts[i + 1]}")
            if why:
                c.retracted[key] = why
                break
    return c
