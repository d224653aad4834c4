"""Reference exchange rates of the European Central Bank, shipped offline.

The ``currencyconverter`` package ships the ECB's euro foreign exchange reference rates since
1999 (https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/);
nothing is fetched. Used to compare two reports of the same money in different currencies
(``graph.contrib.money``) and to give a report's totals in one currency, marked as converted
(``graph.report.partner_funds``). A rate is that of the day asked, else the nearest day the ECB
published one; every conversion says which rate of which day it used.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Converted:
    """An amount converted, the ECB rates used (units per euro) and their day."""

    amount: Decimal
    rates: tuple[tuple[str, Decimal], ...] = ()
    day: date | None = None

    def words(self) -> str:
        """'1 EUR = 1.3000 USD (ECB reference rate of 2013-03-01)', or '' when not converted."""
        if not self.rates or self.day is None:
            return ""
        each = " and ".join(f"{rate} {currency}" for currency, rate in self.rates)
        many = "s" if len(self.rates) > 1 else ""
        return f"1 EUR = {each} (ECB reference rate{many} of {self.day.isoformat()})"


class Rates:
    """The ECB's shipped history, loaded once per process (about 0.3 s)."""

    _lock = threading.Lock()
    _converter: Any = None

    @classmethod
    def converter(cls) -> Any:
        """The converter, loaded on first use."""
        with cls._lock:
            if cls._converter is None:
                from currency_converter import CurrencyConverter

                cls._converter = CurrencyConverter(
                    fallback_on_missing_rate=True, fallback_on_wrong_date=True
                )
            return cls._converter

    @classmethod
    def known(cls, currency: str) -> bool:
        """Whether the ECB publishes a rate for the currency (the euro included)."""
        return currency in cls.converter().currencies

    @classmethod
    def convert(cls, amount: Decimal, source: str, target: str, day: date | None) -> Converted:
        """``amount`` of ``source`` in ``target`` at the rates of ``day`` (else the latest).

        Raises:
            ValueError: the ECB publishes no rate for one of the currencies.
        """
        if source == target:
            return Converted(amount)
        c = cls.converter()
        for currency in (source, target):
            if currency not in c.currencies:
                raise ValueError(f"the ECB publishes no rate for {currency}")
        firsts = [c.bounds[x].first_date for x in (source, target) if x != "EUR"]
        lasts = [c.bounds[x].last_date for x in (source, target) if x != "EUR"]
        when = min(max(day or min(lasts), max(firsts)), min(lasts))
        converted = Decimal(str(c.convert(float(amount), source, target, date=when)))
        rates = tuple(
            (x, Decimal(str(c.convert(1, "EUR", x, date=when))).quantize(Decimal("0.0001")))
            for x in (source, target)
            if x != "EUR"
        )
        return Converted(converted.quantize(Decimal("0.01")), rates, when)
