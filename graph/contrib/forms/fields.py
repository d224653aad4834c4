"""The forms partners fill, one per kind of thing they report: fields, words and help.

A form is a list of ``Field``: a name, the words shown, the help shown under it, and how it is
entered (``widget``): free text, a choice among fixed values, or a name searched among the
organisations, areas or countries of the graph (``org``, ``area``, ``country``; ``orgs`` and
``countries`` take up to ``MANY`` names). The page template renders any form from this table
(WAI forms tutorial: labels, instructions, validation, https://www.w3.org/WAI/tutorials/forms/).
"""

from __future__ import annotations

from dataclasses import dataclass

MANY = 4
"""Inputs a list field offers (countries, partners, organisers)."""


@dataclass(frozen=True)
class Field:
    """One field of a form."""

    name: str
    label: str
    help: str = ""
    widget: str = "text"
    """text, textarea, amount, currency, number_format, date, period, select, org, orgs, area,
    country, countries, language, count."""
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    """For ``select``: (value, words)."""

    @property
    def many(self) -> bool:
        """Whether it takes several names."""
        return self.widget in ("orgs", "countries", "languages")


TRANSACTIONS = (
    ("granted", "granted"),
    ("pledged", "pledged (promised, not yet paid)"),
    ("funded", "funded"),
    ("contributed", "contributed"),
    ("provided", "provided"),
    ("received", "received"),
    ("approved", "approved"),
    ("expended", "spent"),
)
STATUSES = (
    ("", "not said"),
    ("planned", "planned"),
    ("in-preparation", "in preparation"),
    ("ongoing", "ongoing"),
    ("completed", "completed"),
)
DOCUMENT_TYPES = (
    ("Document", "a document"),
    ("Report", "a report"),
    ("Guidance", "guidance"),
)
ORGANISATION_TYPES = (
    ("Organization", "an organisation"),
    ("Government", "a government"),
)
PARTNER_TYPES = (
    ("ngo", "non-government organization"),
    ("government", "government"),
    ("igo", "intergovernmental organization"),
    ("other", "other"),
)
WORK_KINDS = (("activity", "an activity"), ("project", "a project"))
COUNT_TYPES = (*PARTNER_TYPES, ("total", "all official partners"))

WORDS = Field(
    "text",
    "In your own words",
    "What happened, as you would write it in a report. The graph quotes these words as the "
    "source of every fact below, so say here what the fields say.",
    "textarea",
    True,
)
LABEL = Field(
    "label", "A short name", "How it is listed, e.g. “Norway grant to UNEP, 2013”.", required=True
)
PERIOD = Field("period", "Reporting period", "The report this belongs to.", "period", True)
WHEN = Field(
    "when",
    "When",
    "As you would write it: “March 2013”, “2013”, “12 March 2013” or 2013-03.",
    "date",
)
AREA = Field("area", "Partnership area", "Start typing its name.", "area")
COUNTRIES = Field(
    "countries",
    "Countries",
    "Any country by its name; leave the boxes you do not need empty.",
    "countries",
)

FORMS: dict[str, tuple[str, tuple[Field, ...]]] = {
    "funding": (
        "Money given, received or promised",
        (
            PERIOD,
            WORDS,
            LABEL,
            Field("funder", "Who gave it", "The organisation the money came from.", "org", True),
            Field("recipient", "Who received it", "If an organisation received it.", "org"),
            Field("channel", "Through", "If it went through another organisation.", "org"),
            Field("area", "For the partnership area", "Start typing its name.", "area"),
            Field("project", "For the project", "If it funded a project of the graph.", "text"),
            COUNTRIES,
            Field(
                "amount",
                "Amount",
                "As written in your records: 500000, 500,000.00 or 500.000,00.",
                "amount",
                True,
            ),
            Field(
                "number_format",
                "Number format",
                "How the amount is written; if you leave it, an amount that reads two ways "
                "is asked back.",
                "number_format",
            ),
            Field(
                "currency", "Currency", "Its name or code: US dollar, EUR, NOK.", "currency", True
            ),
            Field("transaction", "What happened to it", "", "select", True, TRANSACTIONS),
            WHEN,
        ),
    ),
    "activity": (
        "An activity or project",
        (
            PERIOD,
            WORDS,
            LABEL,
            Field("work", "It is", "", "select", True, WORK_KINDS),
            AREA,
            Field(
                "status",
                "Status",
                "Leave “not said” if your words do not say.",
                "select",
                False,
                STATUSES,
            ),
            Field("start", "Started", "As you would write it.", "date"),
            Field("end", "Ended or ends", "As you would write it.", "date"),
            COUNTRIES,
            Field("partners", "Carried out by", "The organisations that did it.", "orgs"),
        ),
    ),
    "event": (
        "An event (meeting, workshop, forum)",
        (
            PERIOD,
            WORDS,
            LABEL,
            AREA,
            Field("start", "From", "As you would write it: “7 December 2010”.", "date", True),
            Field("end", "Until", "Leave empty for a one-day event.", "date"),
            Field("countries", "Where", "The country it took place in.", "countries"),
            Field("organisers", "Organised by", "", "orgs"),
            Field("participants", "Participants", "How many took part, if you know.", "count"),
            Field(
                "participants_about",
                "That number is",
                "",
                "select",
                False,
                (("exact", "exact"), ("about", "about (an estimate)")),
            ),
        ),
    ),
    "document": (
        "A document (report, guidance, study)",
        (
            PERIOD,
            WORDS,
            Field("label", "Title", "As printed on it.", required=True),
            Field("doc_type", "It is", "", "select", True, DOCUMENT_TYPES),
            AREA,
            Field("issued", "Issued", "As you would write it: “May 2013”.", "date"),
            Field("languages", "Languages", "English, French, Spanish…", "languages"),
            Field("publisher", "Published by", "", "org"),
            Field("url", "Web address", "Where to read it (https://…).", "text"),
        ),
    ),
    "organisation": (
        "A new partner organisation",
        (
            PERIOD,
            WORDS,
            Field("label", "Its name", "As it writes it.", required=True),
            Field("org_kind", "It is", "", "select", True, ORGANISATION_TYPES),
            Field(
                "partner_type",
                "Partner type",
                "",
                "select",
                False,
                (("", "not said"), *PARTNER_TYPES),
            ),
            Field(
                "country",
                "Based in",
                "The country of its seat; for a government, the country it governs.",
                "country",
            ),
            Field("url", "Web address", "Its website (https://…).", "text"),
        ),
    ),
    "highlight": (
        "A highlight of a partnership area",
        (
            PERIOD,
            WORDS,
            LABEL,
            Field("area", "Partnership area", "Start typing its name.", "area", True),
        ),
    ),
    "count": (
        "A count of partners",
        (
            PERIOD,
            WORDS,
            Field("date", "On", "The day counted: “30 June 2014”.", "date", True),
            Field("partner_type", "Partners counted", "", "select", True, COUNT_TYPES),
            Field("count", "How many", "", "count", True),
        ),
    ),
}
"""Every form: its key, its heading and its fields, in the order shown."""
