"""Dates as people type them, read at the precision they were given (a month stays a month).

``2013``, ``2013-03``, ``2013-03-12`` (ISO 8601), ``March 2013``, ``Mar 2013``, ``12 March 2013``,
``March 12, 2013`` and ``12/03/2013`` with the day first (as most of the world writes it; the
form says so) become ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``. Month names are CLDR's English
wide and abbreviated names, from Babel (https://babel.pocoo.org/en/latest/dates.html).
"""

from __future__ import annotations

import re
from datetime import date

from babel.dates import get_month_names

_MONTHS = {
    str(name).casefold().rstrip("."): number
    for width in ("wide", "abbreviated")
    for number, name in get_month_names(width, locale="en").items()
} | {"sept": 9}
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_WORDS = re.compile(
    r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]+)\.?,?\s+(?:(\d{1,2}),?\s+)?(\d{4})"
)
_SLASHED = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


class DateError(ValueError):
    """Not a date we read (the message gives the forms we do)."""


def read_date(text: str) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` for a date as typed.

    Raises:
        DateError: not one of the forms above, or not a day of the calendar.
    """
    typed = " ".join(text.split())
    year = month = day = None
    if m := _ISO.fullmatch(typed):
        year, month, day = m.group(1), m.group(2), m.group(3)
    elif m := _WORDS.fullmatch(typed):
        number = _MONTHS.get(m.group(2).casefold())
        if number is None or (m.group(1) and m.group(3)):
            raise DateError(_help(text))
        year, month, day = m.group(4), str(number), m.group(1) or m.group(3)
    elif m := _SLASHED.fullmatch(typed):
        day, month, year = m.group(1), m.group(2), m.group(3)
    else:
        raise DateError(_help(text))
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise DateError(f"“{text}” is not a day of the calendar") from None
    out = year
    if month:
        out += f"-{int(month):02d}"
    if day:
        out += f"-{int(day):02d}"
    return out


def _help(text: str) -> str:
    return (
        f"“{text}” is not a date we read: write “March 2013”, “12 March 2013”, “2013”, "
        "2013-03 or 12/03/2013 (day first)"
    )
