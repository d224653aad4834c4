"""Section I's funds provided through UNEP: the breakdown, what its sources add up to, the shares.

From ``funding_breakdown_table`` and ``expenditure_shares``; money reported by several (a
donor and UNEP, ``money_reports``) is one row. Amounts keep the report's words ("about",
"almost"); a sum of approximate amounts is itself "about"; no share is turned into dollars,
because the report gives no period for the total (Data Cube observations,
https://www.w3.org/TR/vocab-data-cube/).
"""

from __future__ import annotations

from decimal import Decimal

from graph.report import say
from graph.report.context import Context, Row, value
from graph.report.model import Part, Section, Table
from graph.report.rows import Item
from graph.report.words import approx_word, money, per, share, short


def funds(ctx: Context) -> Section:
    """Funds provided through UNEP, their breakdown, and the shares of project expenditure."""
    section = Section("funds", say.text("funds", "title"))
    rows = [r for r in ctx.run("funding_breakdown_table") if ctx.in_period(value(r, "flow"))]
    table = say.table("funds", "funds", "funds", "funding_breakdown_table")
    money_of = {value(r, "flow"): value(r, "money") for r in ctx.run("money_reports")}
    counted = set(money_of.values())
    seen: set[str] = set()
    for row in sorted(rows, key=lambda r: value(r, "flow") not in counted):
        flow = value(row, "flow") or ""
        same = money_of.get(flow) or flow
        if flow in seen or same in seen:
            continue  # one row per flow, and per money reported by several (money_reports)
        seen.update((flow, same))
        it = Item(ctx, "funds", flow, "funding_breakdown_table")
        amount = None
        if value(row, "value") is not None:
            amount = money(
                value(row, "value") or "", value(row, "currency"), value(row, "approximation")
            )
            if value(row, "per"):
                amount += f" per {per(value(row, 'per'))}"
        staff = value(row, "staff")
        table.rows.append(
            it.row(
                it.name(),
                it.said("amount", amount) if amount or not staff else None,
                it.said("staff", staff, optional=True),
                it.names("part-of", value(row, "part_of"), optional=True),
            )
        )
    section.tables.append(table)
    section.sentences += _sum_sentences(ctx, rows)
    section.tables.append(_shares(ctx))
    return section


def _sum_sentences(ctx: Context, rows: list[Row]) -> list[list[Part]]:
    """The sources of a total added up, beside the total as stated."""
    out: list[list[Part]] = []
    totals = {value(r, "part_of") for r in rows if value(r, "part_of")}
    for total in sorted(t for t in totals if t):
        parts = [r for r in rows if value(r, "part_of") == total and value(r, "mechanism")]
        stated = next((r for r in rows if value(r, "flow") == total), None)
        if not parts or stated is None or any(value(r, "value") is None for r in parts):
            continue
        currencies = {value(r, "currency") for r in parts}
        if len(currencies) != 1:
            continue
        amount = sum((Decimal(value(r, "value") or "0") for r in parts), Decimal(0))
        approximate = any(approx_word(value(r, "approximation")) for r in parts)
        flows = [value(r, "flow") for r in parts]
        out.append(
            say.parts(
                "funds",
                "sentence_sum",
                count=len(parts),
                total=ctx.name(f"funds/{short(total)}/name", total, "funding_breakdown_table"),
                sum=ctx.figure(
                    f"funds/{short(total)}/sum",
                    money(amount, currencies.pop(), "about" if approximate else None),
                    "funding_breakdown_table",
                    flows,
                    derived="the sum of the amounts of its sources",
                ),
                stated=ctx.figure(
                    f"funds/{short(total)}/stated",
                    money(
                        value(stated, "value") or "0",
                        value(stated, "currency"),
                        value(stated, "approximation"),
                    ),
                    "funding_breakdown_table",
                    [total],
                ),
            )
        )
    return out


def _shares(ctx: Context) -> Table:
    table = say.table("funds", "shares", "shares", "expenditure_shares")
    for row in ctx.run("expenditure_shares"):
        obs = value(row, "observation")
        if not ctx.in_period(obs):
            continue
        category = value(row, "category") or ""
        it = Item(ctx, "shares", category, "expenditure_shares", (obs,))
        said = share(value(row, "share") or "", value(row, "approximation"), value(row, "verbatim"))
        table.rows.append(it.row(it.name(), it.said("share", said, obs)))
    return table
