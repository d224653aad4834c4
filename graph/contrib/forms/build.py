"""A filled form becomes a submission in the curated record format, and is read back in words.

Every field is checked and every problem is kept by field name (the page marks the field and
keeps what was typed); names become ids through the directory (``names``), dates are read as
typed (``dates``), amounts by the one rule of ``graph.contrib.amounts``, currencies are ISO 4217
(by code or name, pycountry). The partner's words are the ``source`` each record quotes. The
read-back is what will be stored, in a sentence per record ("USD 500,000.00 granted by Government
of Norway to UNEP, March 2013"), shown before anything is sent.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pycountry

from graph.compile.timevalues import Precise
from graph.contrib.amounts import AmountError, mismatch, read_amount, shown
from graph.contrib.forms.fields import FORMS, Field
from graph.contrib.forms.names import Directory, UnknownName
from graph.contrib.forms.reader import Reader


def day(value: str) -> str:
    """'12 March 2013', 'March 2013' or '2013', at the precision given."""
    return Precise.parse(value).label() if value else ""


ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")


@dataclass
class Outcome:
    """A form read: the submission (None when a field is wrong), problems by field, read-back."""

    doc: dict[str, Any] | None
    errors: dict[str, str] = field(default_factory=dict)
    readback: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _fields(kind: str) -> dict[str, Field]:
    return {f.name: f for f in FORMS[kind][1]}


def currency_code(typed: str) -> str:
    """An ISO 4217 code for a code or a currency's name.

    Raises:
        ValueError: not an ISO 4217 currency.
    """
    try:
        return str(pycountry.currencies.lookup(typed.strip()).alpha_3)
    except LookupError:
        raise ValueError(
            f"“{typed}” is not an ISO 4217 currency (write its code, USD, or its name, euro)"
        ) from None


def read_form(kind: str, form: dict[str, str], org: str, names: Directory) -> Outcome:
    """The submission a form makes, with every problem by field and the read-back."""
    if kind not in FORMS:
        return Outcome(None, {"kind": f"choose what to report ({', '.join(FORMS)})"})
    fields = _fields(kind)
    r = Reader(form, names)
    words = r.text(fields["text"])
    label = r.text(fields["label"]) if "label" in fields else ""
    period = r.text(fields["period"])
    record: dict[str, Any] = {
        "id": "",
        "label": label,
        "source": words,
    }
    maker = BUILDERS[kind]
    sentence = maker(r, fields, record, org)
    out = Outcome(None, r.errors)
    if r.errors:
        return out
    record = {k: v for k, v in record.items() if v not in (None, "", [], {})}
    start, _, end = period.partition("/")
    typed = [x["source"] for x in r.extra if x["source"] not in words]
    if typed:  # a country named only in a field: the text quotes the field as typed
        words += "\n\nCountries as typed in the form: " + "; ".join(typed)
    doc: dict[str, Any] = {
        "title": label or record.get("label", ""),
        "text": words,
        "period": {"from": start, "to": end},
        "records": [*r.extra, record],
    }
    out.doc = doc
    out.readback = [
        sentence,
        *(f"New country: {x['label']} (ISO 3166 {x['alpha3']})" for x in r.extra),
    ]
    if kind == "funding":
        said = mismatch(words, Decimal(record["amount"]["value"]), record["amount"]["currency"])
        if said:
            out.warnings.append(said)
    return out


def _new(prefix: str) -> str:
    return f"{prefix}/contribution-{secrets.token_hex(4)}"


def _funding(r: Reader, f: dict[str, Field], rec: dict[str, Any], org: str) -> str:
    funder = r.name(f["funder"], "org", "an organisation")
    recipient = r.name(f["recipient"], "org", "an organisation")
    channel = r.name(f["channel"], "org", "an organisation")
    area = r.name(f["area"], "area", "a partnership area")
    project = r.name(f["project"], "project", "a project") if r.text(f["project"]) else None
    countries = r.many(f["countries"], "country", "a country")
    typed = r.text(f["amount"])
    value: Decimal | None = None
    if typed:
        try:
            value = read_amount(typed, r.form.get("number_format", ""))
        except AmountError as exc:
            r.errors["amount"] = str(exc)
    currency = ""
    if r.text(f["currency"]):
        try:
            currency = currency_code(r.form["currency"])
        except ValueError as exc:
            r.errors["currency"] = str(exc)
    how = r.text(f["transaction"])
    if how and how not in {v for v, _w in f["transaction"].choices}:
        r.errors["transaction"] = "choose what happened to the money"
    when = r.date(f["when"])
    rec.update(
        id=_new("flow"),
        type="FundingFlow",
        funder=[funder] if funder else [],
        recipient=[recipient] if recipient else [],
        channel=[channel] if channel else [],
        item=[x for x in (area, project) if x],
        places=countries,
        transaction=f"gmp:tt-{how}",
        when=when,
        amount={"value": str(value), "currency": currency, "approx": "exact", "verbatim": typed}
        if value is not None
        else None,
    )
    if r.errors or value is None:
        return ""
    to = recipient or area or project
    words = dict(f["transaction"].choices).get(how, how).split(" (")[0]
    parts = [f"{currency} {shown(value.quantize(Decimal('0.01')))} {words}"]
    if funder:
        parts.append(f"by {r.names.labels.get(funder, funder)}")
    if to:
        parts.append(f"to {r.names.labels.get(to, to)}")
    if channel:
        parts.append(f"through {r.names.labels.get(channel, channel)}")
    sentence = " ".join(parts)
    if countries:
        sentence += " in " + ", ".join(r.names.labels.get(c, _new_label(r, c)) for c in countries)
    return sentence + (f", {day(when)}" if when else "")


def _new_label(r: Reader, rid: str) -> str:
    return next((x["label"] for x in r.extra if x["id"] == rid), rid)


def _when(start: str | None, end: str | None) -> Any:
    if start and end:
        return {"from": start, "to": end}
    return start or end


def _span(start: str | None, end: str | None) -> str:
    if start and end:
        return f"from {day(start)} to {day(end)}"
    return day(start or end or "")


def _activity(r: Reader, f: dict[str, Field], rec: dict[str, Any], org: str) -> str:
    kind = r.text(f["work"])
    area = r.name(f["area"], "area", "a partnership area")
    status = r.text(f["status"])
    if status not in {v for v, _w in f["status"].choices}:
        r.errors["status"] = "choose a status"
    start, end = r.date(f["start"]), r.date(f["end"])
    countries = r.many(f["countries"], "country", "a country")
    partners = r.many(f["partners"], "org", "an organisation") or [org]
    rec.update(
        id=_new("project" if kind == "project" else "activity"),
        type="Project" if kind == "project" else "Activity",
        area=[area] if area else [],
        status=f"gmp:status-{status}" if status else None,
        when=_when(start, end),
        places=countries,
        implementer=partners,
    )
    who = ", ".join(r.names.labels.get(p, p) for p in partners)
    said = f"{'Project' if kind == 'project' else 'Activity'} “{rec['label']}” by {who}"
    if area:
        said += f", in {r.names.labels.get(area, area)}"
    if status:
        said += f", {dict(f['status'].choices)[status]}"
    if start or end:
        said += f", {_span(start, end)}"
    return said


def _event(r: Reader, f: dict[str, Field], rec: dict[str, Any], org: str) -> str:
    area = r.name(f["area"], "area", "a partnership area")
    start, end = r.date(f["start"]), r.date(f["end"])
    countries = r.many(f["countries"], "country", "a country")
    organisers = r.many(f["organisers"], "org", "an organisation")
    count = r.count(f["participants"])
    about = r.form.get("participants_about", "exact") == "about"
    rec.update(
        id=_new("event"),
        type="Event",
        area=[area] if area else [],
        when=_when(start, end),
        places=countries,
        organizer=organisers,
        participation=[
            {
                "value": count,
                "unit_text": "participants",
                "approx": "about" if about else "exact",
                "verbatim": r.form.get("participants", "").strip(),
            }
        ]
        if count is not None
        else [],
    )
    said = f"Event “{rec['label']}”, {_span(start, end)}"
    if countries:
        said += " in " + ", ".join(r.names.labels.get(c, _new_label(r, c)) for c in countries)
    if organisers:
        said += ", organised by " + ", ".join(r.names.labels.get(o, o) for o in organisers)
    if count is not None:
        said += f", {'about ' if about else ''}{count:,} participants"
    return said


def _document(r: Reader, f: dict[str, Field], rec: dict[str, Any], org: str) -> str:
    doc_type = r.text(f["doc_type"])
    if doc_type not in {v for v, _w in f["doc_type"].choices}:
        r.errors["doc_type"] = "choose what kind of document it is"
    area = r.name(f["area"], "area", "a partnership area")
    issued = r.date(f["issued"])
    languages = r.many(f["languages"], "language", "a language")
    publisher = r.name(f["publisher"], "org", "an organisation")
    url = r.text(f["url"])
    if url and not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", url):
        r.errors["url"] = "a web address starts with https:// and has no spaces"
    rec.update(
        id=_new("doc"),
        type=doc_type,
        area=[area] if area else [],
        issued=issued,
        languages=languages,
        publisher=[publisher] if publisher else [],
        url=url,
    )
    said = (
        f"{dict(f['doc_type'].choices).get(doc_type, 'a document').capitalize()} “{rec['label']}”"
    )
    if publisher:
        said += f" published by {r.names.labels.get(publisher, publisher)}"
    if issued:
        said += f", issued {day(issued)}"
    if languages:
        said += ", in " + ", ".join(r.names.labels.get(x, x) for x in languages)
    return said


def _organisation(r: Reader, f: dict[str, Field], rec: dict[str, Any], org: str) -> str:
    kind = r.text(f["org_kind"])
    if kind not in {v for v, _w in f["org_kind"].choices}:
        r.errors["org_kind"] = "choose what kind of organisation it is"
    ptype = r.text(f["partner_type"])
    if ptype == "government" and kind and kind != "Government":
        r.errors["org_kind"] = (
            "a government partner is a government: choose “a government” (or another partner type)"
        )
    country = None
    if r.text(f["country"]):
        try:
            country, record = r.names.country(r.form["country"])
            if record is not None:
                r.extra.append({**record, "source": r.form["country"].strip()})
        except UnknownName as exc:
            r.errors["country"] = str(exc)
    if kind == "Government" and country is None and "country" not in r.errors:
        r.errors["country"] = "a government governs a country: say which"
    url = r.text(f["url"])
    if url and not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", url):
        r.errors["url"] = "a web address starts with https:// and has no spaces"
    slug = re.sub(r"[^a-z0-9]+", "-", rec["label"].casefold()).strip("-")[:50] or "organisation"
    rec.update(
        id=f"org/{slug}-{secrets.token_hex(2)}",
        type=kind or "Organization",
        org_type=f"gmp:pt-{ptype}" if ptype else None,
        based_in=[country] if country else [],
        jurisdiction=[country] if country and kind == "Government" else [],
        url=url,
    )
    said = f"New organisation “{rec['label']}”"
    if country:
        said += f", based in {r.names.labels.get(country, _new_label(r, country))}"
    return said


def _highlight(r: Reader, f: dict[str, Field], rec: dict[str, Any], org: str) -> str:
    area = r.name(f["area"], "area", "a partnership area")
    held = r.names.highlights.get(area or "", 0)
    rec.update(
        id=_new("highlight"),
        type="Highlight",
        area=[area] if area else [],
        ordinal=ROMAN[held] if held < len(ROMAN) else str(held + 1),
    )
    return f"Highlight of {r.names.labels.get(area or '', area)}: “{rec['label']}”"


def _count(r: Reader, f: dict[str, Field], rec: dict[str, Any], org: str) -> str:
    when = r.date(f["date"])
    if when and len(when) != 10:
        r.errors["date"] = "a count is of one day: write the day, “30 June 2014”"
    ptype = r.text(f["partner_type"])
    words = dict(f["partner_type"].choices).get(ptype)
    if ptype and words is None:
        r.errors["partner_type"] = "choose which partners were counted"
    count = r.count(f["count"])
    rec.update(
        id=f"obs/partners-{when}-{ptype}-{secrets.token_hex(2)}",
        type="PartnerCount",
        label=f"{(words or '').capitalize()}, {day(when or '')}",
        dataset="dataset/partners",
        date=when,
        partner_type=f"gmp:pt-{ptype}",
        count=count,
    )
    return f"{count} ({words}) on {day(when or '')}"


BUILDERS = {
    "funding": _funding,
    "activity": _activity,
    "event": _event,
    "document": _document,
    "organisation": _organisation,
    "highlight": _highlight,
    "count": _count,
}
