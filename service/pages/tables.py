"""SPARQL results as an HTML table for people: labels as link text, IRIs as prefixed names.

The table is the W3C results' columns (https://www.w3.org/TR/sparql11-results-json/) minus the
``<column>Label`` columns that ``graph.query.results.with_labels`` added, whose values become
the link text of their IRI column instead. Links go to this service's pages (service.pages.links).
"""

from __future__ import annotations

from typing import Any

from graph.namespaces import shorten
from graph.query.results import Result, parts
from service.pages.links import href


def table(result: Result) -> dict[str, Any]:
    """Columns and cells ready for ``templates/results.html``."""
    names = result.variables
    labelled = {n for n in names if f"{n}Label" in names}
    shown = [i for i, n in enumerate(names) if not (n.endswith("Label") and n[:-5] in labelled)]
    rows = []
    for row in result.cells:
        cells: list[dict[str, str | None]] = []
        for i in shown:
            p = parts(row[i])
            label_at = names.index(f"{names[i]}Label") if names[i] in labelled else None
            label = parts(row[label_at]) if label_at is not None else None
            if p is None:
                cells.append({"text": ""})
            elif p.kind == "uri":
                short = shorten(p.value)
                cells.append(
                    {
                        "text": label.value if label else short,
                        "href": href(p.value) or p.value,
                        "iri": short if label else None,
                    }
                )
            else:
                cells.append(
                    {
                        "text": p.value,
                        "lang": p.lang,
                        "datatype": shorten(p.datatype) if p.datatype else None,
                    }
                )
        rows.append(cells)
    return {"columns": [names[i] for i in shown], "rows": rows}
