"""One item's row of a report table: its cells as figures, each keyed and resting on evidence.

Most tables of the report have one row per item a named query returns (an area, a piece of work,
a flow): the first cell names the item, the others say one thing about it. Every such cell is a
``Figure`` keyed ``TABLE/ITEM/COLUMN`` (the item's short name), linked to the query and resting on
the evidence of the item unless other facts are given, so that each figure of the report leads
to the passages it comes from (W3C PROV-O's ``prov:wasDerivedFrom``, read by
``queries/support/evidence.rq``: https://www.w3.org/TR/prov-o/).

For example, a row of the next steps' table::

    it = Item(ctx, "next-steps", work, "projects_by_area")
    table.rows.append(it.row(it.name(), it.said("status", "ongoing"), it.names("area", area)))
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.report.context import Context
from graph.report.model import Figure
from graph.report.model import Row as TableRow
from graph.report.words import short


@dataclass(frozen=True)
class Item:
    """The cells of one item's row: figures of one table and one query about one resource."""

    ctx: Context
    table: str
    """The table's key, the first part of every figure's key."""
    iri: str
    query: str
    facts: tuple[str | None, ...] = ()
    """Further facts the item's own name rests on (the observation that counts it, an example)."""

    @property
    def key(self) -> str:
        """The row's key: the item's short name."""
        return short(self.iri)

    def name(self) -> Figure:
        """The item by its label, resting on its own evidence (and ``facts``)."""
        return self.ctx.name(f"{self.table}/{self.key}", self.iri, self.query, *self.facts)

    def said(
        self, column: str, text: str | None, *facts: str | None, optional: bool = False
    ) -> Figure | None:
        """What the item's ``column`` says, resting on ``facts`` (default: the item).

        No text is an unknown figure, or no cell at all when the cell is ``optional``.
        """
        if optional and text in (None, ""):
            return None
        chosen = facts or (self.iri,)
        return self.ctx.figure(f"{self.table}/{self.key}/{column}", text, self.query, chosen)

    def names(
        self, column: str, iri: str | None, *facts: str | None, optional: bool = False
    ) -> Figure | None:
        """Another resource by its label, resting on its evidence and ``facts``.

        No resource is an unknown figure, or no cell at all when the cell is ``optional``.
        """
        if optional and not iri:
            return None
        return self.ctx.name(f"{self.table}/{self.key}/{column}", iri, self.query, *facts)

    def row(self, *cells: Figure | str | None) -> TableRow:
        """The row: the item's key and label, and the cells in order."""
        return TableRow(self.key, self.ctx.label(self.iri), list(cells))
