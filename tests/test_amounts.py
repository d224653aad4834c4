"""Amounts and dates as partners type them (issue 25): one rule, ambiguity asked back."""

from __future__ import annotations

from decimal import Decimal

import pytest

from graph.contrib.amounts import AmountError, mismatch, read_amount, settle, stated
from graph.contrib.forms.build import currency_code
from graph.contrib.forms.dates import DateError, read_date


@pytest.mark.parametrize(
    ("typed", "number_format", "value"),
    [
        ("300000", "", "300000"),
        ("300,000.50", "", "300000.50"),
        ("500.000,00", "de", "500000.00"),
        ("500 000", "fr", "500000"),
        ("500 000,50", "fr", "500000.50"),
        ("1'234.50", "de_CH", "1234.50"),
        ("500,000", "en", "500000"),
        ("500,000", "de", "500.000"),
    ],
)
def test_an_amount_is_read_by_the_one_rule(typed: str, number_format: str, value: str) -> None:
    assert read_amount(typed, number_format) == Decimal(value)


@pytest.mark.parametrize(
    ("typed", "number_format", "words"),
    [
        ("500.000,00", "", "reads as 500,000.00 only if written 1.234,56"),
        ("500,000", "", "can be read more than one way"),
        ("500.000", "", "can be read more than one way"),
        ("lots", "", "is not a number"),
        ("1e400", "", "is not a number"),
        ("-5", "", "negative"),
        ("500.000,00", "en", "is not a number written 1,234.56"),
        ("5", "xx", "number format must be one of"),
        ("", "", "required"),
    ],
)
def test_an_amount_that_reads_two_ways_or_none_is_asked_back(
    typed: str, number_format: str, words: str
) -> None:
    with pytest.raises(AmountError, match=words):
        read_amount(typed, number_format)


def test_the_amounts_in_the_words_are_found_and_compared() -> None:
    words = "Norway granted USD 500,000 in March 2013 and NOK 3 million in 2014, for 2 countries."
    assert [(s.amount, s.currency) for s in stated(words)] == [
        (Decimal(500000), "USD"),
        (Decimal(3000000), "NOK"),
    ]
    assert mismatch(words, Decimal(500000), "USD") == ""
    said = mismatch(words, Decimal(600000), "USD")
    assert "USD 600,000" in said and "“USD 500,000”" in said
    assert mismatch("Norway granted money in 2013.", Decimal(1), "USD") == ""  # nothing to compare


def test_yaml_and_json_amounts_follow_the_same_rule() -> None:
    doc = {
        "number_format": "de",
        "records": [
            {"id": "flow/a", "amount": {"value": "500.000,00", "currency": "USD"}},
            {"id": "flow/b", "amount": {"value": "1,5", "number_format": "en", "currency": "USD"}},
            {"id": "flow/c", "amount": {"value": 300000, "currency": "USD"}},
        ],
    }
    settled, problems = settle(doc)
    assert "number_format" not in settled
    records = settled["records"]
    assert isinstance(records, list)
    assert records[0]["amount"]["value"] == "500000.00"
    assert records[2]["amount"]["value"] == 300000
    assert problems == [
        ("flow/b", "amount", "amount.value: '1,5' is not a number written 1,234.56", None)
    ]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("2013", "2013"),
        ("2013-03", "2013-03"),
        ("2013-03-12", "2013-03-12"),
        ("March 2013", "2013-03"),
        ("Mar 2013", "2013-03"),
        ("Sept. 2013", "2013-09"),
        ("12 March 2013", "2013-03-12"),
        ("12th March 2013", "2013-03-12"),
        ("March 12, 2013", "2013-03-12"),
        ("12/03/2013", "2013-03-12"),
    ],
)
def test_a_date_is_read_at_the_precision_typed(typed: str, read: str) -> None:
    assert read_date(typed) == read


@pytest.mark.parametrize("typed", ["soon", "31 February 2013", "13/13/2013", "Smarch 2013"])
def test_a_date_not_read_says_how_to_write_one(typed: str) -> None:
    with pytest.raises(DateError):
        read_date(typed)


def test_currencies_are_iso_4217_by_code_or_name() -> None:
    assert currency_code("usd") == "USD"
    assert currency_code("Euro") == "EUR"
    assert currency_code("Norwegian Krone") == "NOK"
    with pytest.raises(ValueError, match="ISO 4217"):
        currency_code("XYZ")


def test_a_file_gets_every_problem_at_once_each_with_its_field_and_line() -> None:
    from graph.contrib.intake import read
    from graph.contrib.submission import SubmissionError

    body = b"""title: t
text: 'In 2013 Norway granted USD 5 to UNEP.'
records:
- id: flow/x
  type: FundingFlow
  label: x
  funder: org/gov-norway
  transaction: gmp:tt-granted
  when: soon
  amount:
    value: '500,000'
    currency: XYZ
    approx: exact
    verbatim: 'USD 5'
  source: 'Norway granted USD 5 to UNEP'
"""
    with pytest.raises(SubmissionError) as refused:
        read(body, "application/yaml")
    found = sorted((p.field, p.line, p.message.split(":")[0]) for p in refused.value.problems)
    assert [(f, line) for f, line, _m in found] == [("amount", 10), ("amount", 10), ("when", 9)]
    said = " ".join(p.message for p in refused.value.problems)
    assert "can be read more than one way" in said and "ISO 4217" in said and "'soon'" in said
