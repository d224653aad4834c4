"""How figures are worded: dates as the report writes them, money and shares with their words.

Approximations keep the report's words ("about", "almost"); exact values are printed as they are.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from graph.compile.timevalues import Precise
from graph.namespaces import GMP, GMPD, shorten

SYMBOLS = {"USD": "$"}


def day(value: date | str) -> str:
    """'1 July 2012' (a date), 'November 2011' (a month), '2011' (a year)."""
    return Precise.parse(value if isinstance(value, str) else value.isoformat()).label()


def number(value: Decimal | str) -> str:
    """A number grouped by thousands, without trailing zeros.

    >>> number("500000.00"), number("1234567"), number("0.38")
    ('500,000', '1,234,567', '0.38')
    """
    text = str(value)
    if "." in text:
        return f"{Decimal(text):,f}".rstrip("0").rstrip(".")
    return f"{Decimal(text):,}"


def approx_word(approximation: str | None) -> str:
    """'about', 'almost', or nothing for an exact value (given as a word or a gmp:approx- IRI)."""
    word = (approximation or "").rsplit("#", 1)[-1].removeprefix("approx-")
    return "" if word in ("", "exact") else word


def money(value: Decimal | str, currency: str | None, approximation: str | None = None) -> str:
    """'about $ 10.5 million', '$ 150,000', '850,000 EUR'.

    >>> money("10500000", "USD", "about"), money("150000", "USD"), money("850000", "EUR")
    ('about $ 10.5 million', '$ 150,000', '850,000 EUR')
    """
    amount = Decimal(str(value))
    if amount >= 1_000_000 and (amount / 100_000) == (amount / 100_000).to_integral_value():
        number = f"{(amount / 1_000_000).normalize():f} million"
    else:
        number = f"{amount.normalize():,f}"
    symbol = SYMBOLS.get(currency or "")
    text = f"{symbol} {number}" if symbol else f"{number} {currency or ''}".strip()
    word = approx_word(approximation)
    return f"{word} {text}" if word else text


def share(value: str, approximation: str | None, verbatim: str | None) -> str:
    """An exact share as a per cent; an approximate one in the report's words, lower-cased.

    >>> share("21", "exact", "A further 21%"), share("25", "about", "About a quarter")
    ('21%', 'about a quarter')
    """
    if approx_word(approximation) and verbatim:
        return verbatim[:1].lower() + verbatim[1:]
    return f"{Decimal(value).normalize():f}%"


def per(iri: str | None) -> str:
    """'year' for time:unitYear."""
    return (iri or "").rsplit("#", 1)[-1].removeprefix("unit").lower()


def status_word(iri: str | None) -> str:
    """The last part of a status IRI in words: 'in preparation'."""
    if not iri:
        return ""
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1].removeprefix("status-").replace("-", " ")


def short(iri: str) -> str:
    """The local part of one of our IRIs, else a prefixed name, for keys: 'area/asgm', 'wd:Q17'."""
    for ns in (str(GMPD), str(GMP)):
        if iri.startswith(ns):
            return iri.removeprefix(ns)
    return shorten(iri)


def listed(names: list[str]) -> str:
    """Names joined as a sentence lists them.

    >>> listed(["Peru"]), listed(["Peru", "Burkina Faso"]), listed(["A", "B", "C"])
    ('Peru', 'Peru and Burkina Faso', 'A, B and C')
    """
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
