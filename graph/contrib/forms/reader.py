"""One form's fields read one by one, each problem kept under the field's name.

Texts, names (through the directory of ``graph.contrib.forms.names``, countries of ISO 3166 added
as records), lists of names, dates as typed (``graph.contrib.forms.dates``) and counts.
"""

from __future__ import annotations

from typing import Any

from graph.contrib.forms.dates import DateError, read_date
from graph.contrib.forms.fields import MANY, Field
from graph.contrib.forms.names import Directory, UnknownName


class Reader:
    """Reads one form's fields, collecting problems by field."""

    def __init__(self, form: dict[str, str], names: Directory) -> None:
        self.form = form
        self.names = names
        self.errors: dict[str, str] = {}
        self.extra: list[dict[str, Any]] = []

    def text(self, f: Field) -> str:
        """A field's text, stripped ('' when empty; a problem when required)."""
        value = self.form.get(f.name, "").strip()
        if f.required and not value:
            self.errors[f.name] = f"“{f.label}” is required"
        return value

    def values(self, f: Field) -> list[str]:
        """The texts of a list field's boxes that are not empty."""
        typed = [self.form.get(f"{f.name}-{i}", "").strip() for i in range(1, MANY + 1)]
        return [v for v in typed if v]

    def name(self, f: Field, kind: str, what: str) -> str | None:
        """The id a field names, or None (empty, or a problem)."""
        value = self.text(f)
        if not value:
            return None
        try:
            return self.names.find(kind, value, what)
        except UnknownName as exc:
            self.errors[f.name] = str(exc)
            return None

    def many(self, f: Field, kind: str, what: str) -> list[str]:
        """The ids a list field names; a country not in the graph becomes a record."""
        out = []
        for i, value in enumerate(self.values(f), start=1):
            try:
                if kind == "country":
                    rid, record = self.names.country(value)
                    if record is not None and all(r["id"] != rid for r in self.extra):
                        self.extra.append({**record, "source": value})
                else:
                    rid = self.names.find(kind, value, what)
                out.append(rid)
            except UnknownName as exc:
                self.errors[f"{f.name}-{i}"] = str(exc)
        return out

    def date(self, f: Field) -> str | None:
        """A field's date at the precision typed, or None."""
        value = self.text(f)
        if not value:
            return None
        try:
            return read_date(value)
        except DateError as exc:
            self.errors[f.name] = str(exc)
            return None

    def count(self, f: Field) -> int | None:
        """A field's whole number, or None."""
        value = self.text(f).replace(",", "").replace(" ", "")
        if not value:
            return None
        if not value.isdigit() or len(value) > 9:
            self.errors[f.name] = f"“{f.label}” is a whole number, like 120"
            return None
        return int(value)
