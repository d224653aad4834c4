"""Funding reported directly by partners, each money once, with totals; and what was reported twice.

The seed report says partner funding "could not be included as there was no mechanism to gather
and report on these sums"; accepted submissions are that mechanism. One grant is often reported
by its donor and by its recipient (and by the agency it passed through): reports stated to be the
same money (``gmp:sameMoneyAs``, by a partner's record or the reviewer who accepted it) are one
row here, naming every reporter, and are added once (``money_reports``: the counted report is
the furthest stage that states an amount). A grant to several countries is one row "across" them,
never one per country. Totals are by stage (pledges apart from commitments and disbursements,
as OCHA's Financial Tracking Service keeps them) and currency; where a stage has several
currencies, a total in one currency is added, marked as converted at the ECB reference rates it
states (``graph.rates``). What was reported twice and how it was resolved is its own table
(``money_decisions``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from graph.rates import Rates
from graph.report import say
from graph.report.context import Context, Row, value
from graph.report.model import Evidence, Section, Table
from graph.report.model import Row as TableRow
from graph.report.words import approx_word, day, listed, money, per, short

SECTION = "partner-funding"
"""This section's key, and its wording's file (``partner-funding.j2``)."""
STAGES = ("stage-disbursement", "stage-commitment", "stage-pledge")
"""The stages, furthest first (gmp:transactionStages)."""


@dataclass
class Money:
    """One sum of money and every report of it."""

    iri: str
    reports: list[Row] = field(default_factory=list)

    @property
    def counted(self) -> Row:
        """The report whose amount the totals add (``money_reports``)."""
        return next((r for r in self.reports if value(r, "flow") == self.iri), self.reports[0])

    @property
    def flows(self) -> list[str]:
        """Its reports' flows, each once, in order."""
        return list(dict.fromkeys(value(r, "flow") or "" for r in self.reports))


def monies(ctx: Context) -> list[Money]:
    """The moneys partners reported for the period with a funder and an area, in query order.

    A money is shown when a report of it comes from an accepted submission and a report of it is
    in the period.
    """
    grouped: dict[str, Money] = {}
    for row in ctx.run("money_reports"):
        key = value(row, "money") or ""
        grouped.setdefault(key, Money(key)).reports.append(row)
    placed = {value(r, "flow") for r in ctx.run("donors_areas_countries")}
    return [
        m
        for m in grouped.values()
        if any(e.submission for f in m.flows for e in ctx.of(f))
        and any(ctx.in_period(f) for f in m.flows)
        and any(f in placed for f in m.flows)
    ]


def _reporters(ctx: Context, flows: list[str]) -> tuple[str, list[Evidence]]:
    """'Government of Norway, received …, accepted …; and by UNEP, …', and the evidence."""
    said: list[str] = []
    evidence: list[Evidence] = []
    for ev in sorted(ctx.of(*flows), key=lambda e: e.received or ""):  # the first reporter first
        name = ctx.label(ev.who) if ev.who else ev.source_label
        if ev.received:
            name = _said("cell_received", name=name, day=day(ev.received[:10]))
        if ev.accepted:
            name = _said("cell_accepted", name=name, day=day(ev.accepted))
        if name not in said:
            said.append(name)
            evidence.append(ev)
    joined = said[0] if said else ""
    for then in said[1:]:
        joined = _said("cell_and_by", first=joined, then=then)
    return joined, evidence


def _said(block: str, **values: object) -> str:
    return say.text(SECTION, block, **values)


def _amount(row: Row) -> str | None:
    if value(row, "value") is None:
        return None
    text = money(value(row, "value") or "", value(row, "currency"), value(row, "approximation"))
    if value(row, "per"):
        text += f" per {per(value(row, 'per'))}"
    return text


def partner_funding(ctx: Context) -> Section:
    """The period's moneys reported by partners, one row each, their totals, the twice-reported."""
    section = Section(SECTION, _said("title"))
    table = say.table(SECTION, "funding", "partner-funding", "money_reports")
    areas: dict[str, set[str]] = defaultdict(set)
    countries: dict[str, set[str]] = defaultdict(set)
    for row in ctx.run("donors_areas_countries"):
        flow = value(row, "flow") or ""
        areas[flow].add(value(row, "area") or "")
        if value(row, "country"):
            countries[flow].add(value(row, "country") or "")
    shown = monies(ctx)
    for m in shown:
        table.rows.append(_row(ctx, m, areas, countries))
    if not shown:
        section.sentences.append(say.parts(SECTION, "sentence_none"))
    section.tables.append(table)
    section.tables.append(totals(ctx, shown))
    section.tables.append(twice(ctx, shown))
    return section


def _row(
    ctx: Context, m: Money, areas: dict[str, set[str]], countries: dict[str, set[str]]
) -> TableRow:
    key = short(m.iri)
    counted = m.counted
    flows = m.flows
    funders = list(dict.fromkeys(value(r, "funder") or "" for r in m.reports if value(r, "funder")))
    passed_on = {value(r, "recipient") for r in m.reports}
    donors = [f for f in funders if f not in passed_on] or funders  # not those it passed through
    area_list = sorted({a for f in flows for a in areas.get(f, set())})
    places = sorted({c for f in flows for c in countries.get(f, set())}, key=ctx.label)
    where = None
    if places:
        names = listed([ctx.label(c) for c in places])
        where = _said("cell_across", countries=names) if len(places) > 1 else names
    amount = _amount(counted)
    others = [
        f"{_amount(r)} ({ctx.label(value(r, 'transaction'))})"
        for r in m.reports
        if value(r, "flow") != value(counted, "flow") and _amount(r)
    ]
    if amount and others:
        amount = _said("cell_also", amount=amount, others=listed(list(dict.fromkeys(others))))
    by, _ = _reporters(ctx, flows)
    stage = value(counted, "stage")
    return TableRow(
        key,
        ctx.label(m.iri),
        [
            ctx.figure(
                f"partner-funding/{key}/donor",
                listed([ctx.label(f) for f in donors]),
                "money_reports",
                [*flows, *donors],
            ),
            ctx.figure(
                f"partner-funding/{key}/area",
                listed([ctx.label(a) for a in area_list]),
                "donors_areas_countries",
                [*flows, *area_list],
            ),
            ctx.figure(f"partner-funding/{key}/country", where, "donors_areas_countries", flows)
            if where
            else None,
            ctx.figure(f"partner-funding/{key}/amount", amount, "money_reports", flows),
            ctx.figure(
                f"partner-funding/{key}/stage",
                ctx.label(stage) if stage else None,
                "money_reports",
                flows,
            ),
            ctx.figure(f"partner-funding/{key}/by", by, "money_reports", flows),
        ],
    )


def totals(ctx: Context, shown: list[Money]) -> Table:
    """The shown moneys added up by stage and currency, each once; converted where mixed."""
    table = say.table(SECTION, "totals", "partner-funding-totals", "money_totals")
    sums: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for m in shown:
        row = m.counted
        stage = (value(row, "stage") or "").rsplit("#", 1)[-1]
        if value(row, "value") is None or stage not in STAGES or value(row, "per"):
            continue  # no amount, no stage, or a rate per period: nothing to add
        sums[(stage, value(row, "currency") or "")].append(row)
    for stage in STAGES:
        currencies = sorted(c for s, c in sums if s == stage)
        for currency in currencies:
            rows = sums[(stage, currency)]
            total = sum((Decimal(value(r, "value") or "0") for r in rows), Decimal(0))
            about = any(approx_word(value(r, "approximation")) for r in rows)
            table.rows.append(
                _total_row(
                    ctx,
                    f"{stage}/{currency}",
                    stage,
                    currency,
                    money(total, currency, "about" if about else None),
                    rows,
                    "the sum of the counted amounts, each sum once",
                )
            )
        if len(currencies) > 1:
            table.rows.append(
                _converted(ctx, stage, [r for c in currencies for r in sums[(stage, c)]])
            )
    return table


def _total_row(
    ctx: Context, key: str, stage: str, currency: str, text: str, rows: list[Row], derived: str
) -> TableRow:
    flows = [value(r, "flow") for r in rows]
    return TableRow(
        key,
        f"{stage.removeprefix('stage-')} in {currency}",
        [
            stage.removeprefix("stage-"),
            currency,
            ctx.figure(f"partner-funding-totals/{key}/total", text, "money_totals", flows, derived),
            ctx.figure(f"partner-funding-totals/{key}/sums", str(len(rows)), "money_totals", flows),
        ],
    )


def _converted(ctx: Context, stage: str, rows: list[Row]) -> TableRow:
    """One stage's amounts in its most used currency, each at the ECB rate of its date."""
    used = Counter(value(r, "currency") or "" for r in rows)
    target = sorted(used, key=lambda c: (-used[c], c))[0]
    total, about, said = Decimal(0), False, []
    for r in rows:
        amount, currency = Decimal(value(r, "value") or "0"), value(r, "currency") or ""
        when = date.fromisoformat(value(r, "from") or ctx.period[1].isoformat())
        about = about or bool(approx_word(value(r, "approximation")))
        try:
            converted = Rates.convert(amount, currency, target, when)
        except ValueError as exc:
            said.append(f"{currency} {amount:,f} not converted: {exc}")
            continue
        total += converted.amount
        if converted.rates:
            about = True
            said.append(f"{currency} {amount:,f} at {converted.words()}")
    text = _said(
        "cell_converted",
        total=money(total.quantize(Decimal(1)), target, "about" if about else None),
    )
    derived = "the counted amounts converted to " + target + ": " + "; ".join(said)
    return _total_row(ctx, f"{stage}/converted-{target}", stage, target, text, rows, derived)


def twice(ctx: Context, shown: list[Money]) -> Table:
    """What was reported twice and how it was resolved (``money_decisions``)."""
    table = say.table(SECTION, "twice", "reported-twice", "money_decisions")
    ours = {f for m in shown for f in m.flows}
    for row in ctx.run("money_decisions"):
        flow, other = value(row, "flow") or "", value(row, "other") or ""
        if flow not in ours and other not in ours:
            continue
        same = (value(row, "link") or "").endswith("sameMoneyAs")
        if value(row, "decision"):
            who, when = value(row, "decided_for"), day((value(row, "decided_at") or "")[:10])
            decider = ctx.label(value(row, "decided_by"))
            if who:
                by = _said("cell_decided_for", who=decider, organisation=ctx.label(who), day=when)
            else:
                by = _said("cell_decided", who=decider, day=when)
        else:
            by = _said("cell_stated", reporters=_reporters(ctx, [flow])[0])
        key = f"{short(flow)}/{short(other)}"
        table.rows.append(
            TableRow(
                key,
                ctx.label(flow),
                [
                    ctx.name(f"reported-twice/{key}/flow", flow, "money_decisions"),
                    ctx.name(f"reported-twice/{key}/other", other, "money_decisions"),
                    _said("cell_same" if same else "cell_different"),
                    ctx.figure(
                        f"reported-twice/{key}/by",
                        by,
                        "money_decisions",
                        [flow, other, value(row, "decision")],
                    ),
                ],
            )
        )
    return table
