"""Amounts as partners type them: one explicit rule, ambiguity asked back, words compared.

The rule: an amount is read by Babel's ``parse_decimal`` (CLDR number formats,
https://babel.pocoo.org/en/latest/api/numbers.html) in strict mode, with the number format the
partner chose (``en``: 1,234.56; ``de``: 1.234,56; ``fr``: 1 234,56; ``de_CH``: 1'234.56), a
plain space standing for the format's group separator. Without a chosen format an amount is
taken only when the English reading exists and every format that reads it agrees (``300000``,
``300,000.50``); otherwise it is asked back with each reading (``500,000`` is 500000 in
1,234.56 and 500 in 1.234,56; ``500.000,00`` reads only in 1.234,56). Nothing is guessed.

The amounts in the partner's own words are found with price-parser
(https://github.com/scrapinghub/price-parser), with "thousand", "million" and "billion"
scaled; an amount field that none of them equals gets a warning, not a refusal (the words may
state a total, or another currency).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, get_group_symbol, parse_decimal
from price_parser import Price

FORMATS: dict[str, str] = {
    "en": "1,234.56",
    "de": "1.234,56",
    "fr": "1 234,56",
    "de_CH": "1'234.56",
}
"""The number formats offered, by CLDR locale, each shown as people recognise it."""

_SPACES = re.compile(r"[ \u00a0\u202f]")


class AmountError(ValueError):
    """An amount that is not read: not a number, or read two ways (``readings`` says how)."""

    def __init__(self, message: str, readings: dict[str, Decimal] | None = None) -> None:
        self.readings = readings or {}
        super().__init__(message)


def _read(text: str, locale: str) -> Decimal | None:
    group = get_group_symbol(locale)
    normal = _SPACES.sub(group if _SPACES.fullmatch(group) else " ", text)
    if locale == "de_CH":
        normal = normal.replace("'", group)
    try:
        value = parse_decimal(normal, locale=locale, strict=True)
    except (NumberFormatError, InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def readings(text: str) -> dict[str, Decimal]:
    """What ``text`` reads as in each offered format that reads it."""
    out = {}
    for locale in FORMATS:
        value = _read(text.strip(), locale)
        if value is not None:
            out[locale] = value
    return out


def shown(value: Decimal) -> str:
    """A decimal as people read it, in the 1,234.56 format."""
    return f"{value:,f}"


def read_amount(text: str, number_format: str = "") -> Decimal:
    """The amount ``text`` states, by the rule above.

    Raises:
        AmountError: empty, negative, not a number in the chosen format, or (no format chosen)
            read differently by two formats or only by a format other than 1,234.56.
    """
    text = text.strip()
    if not text:
        raise AmountError("an amount is required")
    if text.startswith("-"):
        raise AmountError(f"{text!r} is negative; an amount is what was given or received")
    if not _DIGITS.fullmatch(text):
        raise AmountError(f"{text!r} is not a number (write it like 300000 or 300,000.00)")
    if number_format:
        if number_format not in FORMATS:
            raise AmountError(f"number format must be one of {', '.join(FORMATS.values())}")
        value = _read(text, number_format)
        if value is None:
            raise AmountError(
                f"{text!r} is not a number written {FORMATS[number_format]}", readings(text)
            )
        return value
    found = readings(text)
    if not found:
        raise AmountError(f"{text!r} is not a number (write it like 300000 or 300,000.00)")
    if "en" in found and len(set(found.values())) == 1:
        return found["en"]
    if len(found) == 1:
        ((loc, value),) = found.items()
        raise AmountError(
            f"{text!r} reads as {shown(value)} only if written {FORMATS[loc]}: choose that "
            "number format to confirm",
            found,
        )
    ways = "; ".join(f"{shown(v)} if written {FORMATS[loc]}" for loc, v in found.items())
    raise AmountError(
        f"{text!r} can be read more than one way ({ways}): choose the number format you used",
        found,
    )


_SCALES = {"thousand": 10**3, "million": 10**6, "m": 10**6, "billion": 10**9, "bn": 10**9}
_FIGURE = re.compile(
    r"(?:\b[A-Z]{3}\s?|US\$\s?|[$€£¥]\s?)?\d(?:[\d.,'\u00a0\u202f ]*\d)?"
    r"(?:\s?(?:[A-Z]{3}\b|US\$))?(?:\s?((?i:thousand|million|billion|bn|m))\b)?"
)
_DIGITS = re.compile(r"[\d.,'\u00a0\u202f ]+")
_YEAR = re.compile(r"(19|20)\d\d")


@dataclass(frozen=True)
class Stated:
    """An amount found in the partner's words: the words, the amount, the currency as written."""

    words: str
    amount: Decimal
    currency: str


def stated(words: str) -> list[Stated]:
    """The amounts the words state (years and small counts left out)."""
    out = []
    for match in _FIGURE.finditer(words):
        fragment = match.group(0).strip(" ,.")
        if _YEAR.fullmatch(fragment) or (fragment.isdigit() and int(fragment) < 100):
            continue
        price = Price.fromstring(fragment)
        if price.amount is None:
            continue
        scale = _SCALES.get((match.group(1) or "").lower(), 1)
        out.append(Stated(fragment, price.amount * scale, price.currency or ""))
    return out


def mismatch(words: str, amount: Decimal, currency: str) -> str:
    """A warning when the words state amounts and none equals ``amount`` ('' otherwise)."""
    found = stated(words)
    if not found or any(s.amount == amount for s in found):
        return ""
    said = ", ".join(f"“{s.words}”" for s in found)
    return (
        f"the amount is {currency} {shown(amount)} but the words say {said}: "
        "check the amount before the secretariat does"
    )


MONEY_KEYS = ("amount", "cost")
"""The money fields of a record (``graph.compile.records``)."""


def settle(
    doc: dict[str, object],
) -> tuple[dict[str, object], list[tuple[str, str, str, int | None]]]:
    """A submission with every amount typed as text read by the rule above.

    A money field's ``value`` written as text (``"500.000,00"``) is read with the record's
    ``number_format`` (in the money field), else the submission's, else none; the key is taken
    out. Returns the submission and the problems, each (record id, field, message).
    """
    problems: list[tuple[str, str, str, int | None]] = []
    default = doc.get("number_format")
    records = doc.get("records")
    if not isinstance(records, list):
        return doc, problems
    settled = []
    for record in records:
        if not isinstance(record, dict):
            settled.append(record)
            continue
        record = dict(record)
        for key in MONEY_KEYS:
            money = record.get(key)
            if not isinstance(money, dict):
                continue
            money = dict(money)
            chosen = money.pop("number_format", default) or ""
            value = money.get("value")
            if isinstance(value, str) and not PLAIN.fullmatch(value.strip()):
                try:
                    money["value"] = str(read_amount(value, str(chosen)))
                except AmountError as exc:
                    lines = record.get("__lines__")
                    line = lines.get(key) if isinstance(lines, dict) else None
                    rid = str(record.get("id", ""))
                    problems.append((rid, key, f"{key}.value: {exc}", line))
            record[key] = money
        settled.append(record)
    out = {k: v for k, v in doc.items() if k != "number_format"}
    out["records"] = settled
    return out, problems


PLAIN = re.compile(r"\d{1,15}(\.\d{1,15})?")


def word_warnings(doc: dict[str, object]) -> list[dict[str, str]]:
    """A warning per record whose amount none of the amounts in its words equals."""
    out = []
    text = doc.get("text")
    records = doc.get("records")
    for record in records if isinstance(records, list) else []:
        if not isinstance(record, dict):
            continue
        money = record.get("amount")
        if not isinstance(money, dict):
            continue
        try:
            value = Decimal(str(money.get("value")))
        except InvalidOperation:
            continue
        words = record.get("source") if isinstance(record.get("source"), str) else text
        said = mismatch(str(words or ""), value, str(money.get("currency", "")))
        if said:
            rid = str(record.get("id", ""))
            out.append({"kind": "amount-words", "record": rid, "message": f"{rid}: {said}"})
    return out
