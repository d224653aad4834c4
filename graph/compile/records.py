"""The record types of the curated data files: which keys each takes and what RDF they become.

This table is the contract between curators and the graph (graph/data/README.md explains it in
prose). A field is ``key -> (predicate, kind)``; the kinds are compiled by
``graph.compile.compiler``:

- ``ref`` / ``refs``: an id of another record (``org/unido``) or a CURIE (``wd:Q813``);
- ``text``/``texts`` (English literals), ``str``/``strs`` (plain), ``int``, ``decimal``, ``url``,
  ``literal-date``;
- ``time``: ``2011-11`` (an OWL-Time instant) or ``{from: 2011-11, to: 2012-04}`` (an interval);
- ``money``: ``{value, currency, approx, verbatim, per}``;
- ``quantity``: ``{value, unit, unit_text, approx, verbatim}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS, ORG, PROV, QB, RDF, RDFS, SKOS, TIME

from graph.namespaces import FABIO, GMP, SCHEMA

Field = tuple[URIRef, str]

COMMON: dict[str, Field] = {
    "label": (SKOS.prefLabel, "text"),
    "alt": (SKOS.altLabel, "texts"),
    "description": (DCTERMS.description, "text"),
    "note": (SKOS.editorialNote, "text"),
    "same_as": (SKOS.exactMatch, "refs"),
    "close_match": (SKOS.closeMatch, "refs"),
    "area": (GMP.partnershipArea, "refs"),
    "status": (GMP.status, "ref"),
    "when": (TIME.hasTime, "time"),
    "places": (DCTERMS.spatial, "refs"),
    "ordinal": (GMP.ordinal, "str"),
    "part_of": (DCTERMS.isPartOf, "refs"),
    "related": (DCTERMS.relation, "refs"),
    "url": (SCHEMA.url, "url"),
    "also": (RDF.type, "refs"),
    "description_exception": (GMP.descriptionException, "texts"),
}
"""Keys every record type accepts (besides id, type, source)."""

WORK: dict[str, Field] = {
    "implementer": (GMP.implementer, "refs"),
    "coordinator": (GMP.coordinator, "refs"),
    "partner": (GMP.partner, "refs"),
    "supporter": (GMP.supporter, "refs"),
    "funder": (SCHEMA.funder, "refs"),
    "organizer": (SCHEMA.organizer, "refs"),
    "output": (GMP.output, "refs"),
    "cost": (GMP.estimatedCost, "money"),
    "requested_by": (GMP.requestedBy, "refs"),
    "start_by": (GMP.startBy, "time"),
    "follows": (GMP.immediatelyFollows, "refs"),
}
"""Keys of projects, activities and improvement actions."""

ORGANISATION: dict[str, Field] = {
    "org_type": (GMP.organisationType, "ref"),
    "parent": (ORG.subOrganizationOf, "refs"),
    "jurisdiction": (GMP.jurisdiction, "refs"),
    "based_in": (SCHEMA.location, "refs"),
}

DOCUMENT: dict[str, Field] = {
    "creator": (DCTERMS.creator, "refs"),
    "publisher": (DCTERMS.publisher, "refs"),
    "languages": (DCTERMS.language, "refs"),
    "languages_as_stated": (GMP.languageAsStated, "text"),
    "about": (SCHEMA.about, "refs"),
    "adopted_at": (GMP.adoptedAt, "refs"),
    "presented_at": (GMP.presentedAt, "refs"),
    "requested_by": (GMP.requestedBy, "refs"),
    "plan_status": (GMP.planStatus, "ref"),
    "issued": (DCTERMS.issued, "literal-date"),
    "title": (DCTERMS.title, "text"),
    "frequency": (DCTERMS.accrualPeriodicity, "ref"),
    "reporting_period": (GMP.reportingPeriod, "ref"),
}


@dataclass(frozen=True)
class RecordType:
    """A kind of record: the RDF classes it gets and the extra keys it takes."""

    classes: tuple[URIRef, ...]
    fields: dict[str, Field] = field(default_factory=dict)
    required: tuple[str, ...] = ("label",)


RECORD_TYPES: dict[str, RecordType] = {
    "Partnership": RecordType(
        (ORG.OrganizationalCollaboration, ORG.Organization, SCHEMA.Organization),
        {"hosted_by": (GMP.hostedBy, "refs"), "objective": (ORG.purpose, "text")},
    ),
    "PartnershipArea": RecordType(
        (GMP.PartnershipArea, ORG.OrganizationalCollaboration, ORG.Organization),
        {
            "within": (ORG.subOrganizationOf, "refs"),
            "objective": (ORG.purpose, "text"),
            "business_plan": (GMP.businessPlan, "ref"),
            "established": (DCTERMS.created, "literal-date"),
            "investigates": (GMP.investigatesTechnology, "refs"),
        },
        ("label", "within", "objective"),
    ),
    "Organization": RecordType((ORG.Organization, SCHEMA.Organization), ORGANISATION),
    "Government": RecordType(
        (ORG.Organization, SCHEMA.GovernmentOrganization, SCHEMA.Organization), ORGANISATION
    ),
    "Post": RecordType((ORG.Post,), {"post_in": (ORG.postIn, "ref")}, ("label", "post_in")),
    "Membership": RecordType(
        (ORG.Membership,),
        {
            "member": (ORG.member, "ref"),
            "organization": (ORG.organization, "ref"),
            "role": (ORG.role, "ref"),
            "during": (ORG.memberDuring, "time"),
        },
        ("member", "organization", "role"),
    ),
    "Project": RecordType((GMP.Project, ORG.OrganizationalCollaboration, ORG.Organization), WORK),
    "Activity": RecordType((GMP.Activity, PROV.Activity), WORK),
    "Event": RecordType(
        (SCHEMA.Event,),
        {
            **WORK,
            "location": (SCHEMA.location, "refs"),
            "super_event": (SCHEMA.superEvent, "refs"),
            "participation": (GMP.participation, "quantities"),
        },
    ),
    "EventSeries": RecordType((SCHEMA.EventSeries, SCHEMA.Event)),
    "Document": RecordType((SCHEMA.CreativeWork,), {**DOCUMENT, **WORK}),
    "Report": RecordType((SCHEMA.Report, FABIO.Report, SCHEMA.CreativeWork), {**DOCUMENT, **WORK}),
    "Guidance": RecordType((GMP.Guidance, SCHEMA.CreativeWork), {**DOCUMENT, **WORK}),
    "BusinessPlan": RecordType((GMP.BusinessPlan, SCHEMA.CreativeWork), DOCUMENT),
    "Dataset": RecordType((SCHEMA.Dataset, DCAT.Dataset, SCHEMA.CreativeWork), DOCUMENT),
    "Software": RecordType((SCHEMA.SoftwareApplication, SCHEMA.CreativeWork), DOCUMENT),
    "Video": RecordType((SCHEMA.VideoObject, SCHEMA.CreativeWork), DOCUMENT),
    "Series": RecordType((SCHEMA.CreativeWorkSeries, SCHEMA.CreativeWork), DOCUMENT),
    "FundingMechanism": RecordType(
        (GMP.FundingMechanism,), {"earmarking": (GMP.earmarking, "ref")}
    ),
    "FundingFlow": RecordType(
        (GMP.FundingFlow,),
        {
            "funder": (SCHEMA.funder, "refs"),
            "item": (SCHEMA.fundedItem, "refs"),
            "recipient": (GMP.recipient, "refs"),
            "channel": (GMP.channel, "refs"),
            "mechanism": (GMP.fundingMechanism, "refs"),
            "earmarking": (GMP.earmarking, "ref"),
            "transaction": (GMP.transactionType, "ref"),
            "amount": (SCHEMA.amount, "money"),
            "staff": (GMP.staffCount, "int"),
            "same_money_as": (GMP.sameMoneyAs, "refs"),
            "different_money_from": (GMP.differentMoneyFrom, "refs"),
        },
        ("label", "transaction"),
    ),
    "Target": RecordType(
        (GMP.Target,),
        {
            "target_of": (GMP.targetOf, "ref"),
            "variable": (GMP.targetVariable, "text"),
            "value": (GMP.targetValue, "quantity"),
            "change": (GMP.relativeChange, "quantity"),
            "deadline": (GMP.deadline, "time"),
            "commitment": (GMP.commitmentLevel, "text"),
        },
        ("label", "target_of", "variable", "deadline"),
    ),
    "StatDataSet": RecordType((QB.DataSet,), {"structure": (QB.structure, "ref")}),
    "PartnerCount": RecordType(
        (QB.Observation,),
        {
            "dataset": (QB.dataSet, "ref"),
            "date": (GMP.refDate, "literal-date"),
            "partner_type": (GMP.partnerType, "ref"),
            "count": (GMP.partnerCount, "int"),
        },
        ("dataset", "date", "partner_type", "count"),
    ),
    "ExpenditureShare": RecordType(
        (QB.Observation,),
        {
            "dataset": (QB.dataSet, "ref"),
            "category": (GMP.expenditureCategory, "ref"),
            "share": (GMP.shareOfProjectExpenditure, "decimal"),
            "approx": (GMP.approximation, "ref"),
            "verbatim": (GMP.verbatim, "str"),
        },
        ("dataset", "category", "share", "approx", "verbatim"),
    ),
    "KnowledgeGap": RecordType((GMP.KnowledgeGap,)),
    "Need": RecordType((GMP.Need,)),
    "ImprovementArea": RecordType((GMP.ImprovementArea,), {"actions": (GMP.action, "refs")}),
    "ImprovementAction": RecordType((GMP.ImprovementAction, PROV.Activity), WORK),
    "Highlight": RecordType(
        (GMP.Highlight,), {"highlights": (GMP.highlights, "refs")}, ("label", "area", "ordinal")
    ),
    "Country": RecordType(
        (SCHEMA.Country, SCHEMA.Place),
        {
            "alpha2": (GMP.iso3166Alpha2, "str"),
            "alpha3": (GMP.iso3166Alpha3, "str"),
            "m49": (GMP.m49, "str"),
            "region": (SCHEMA.containedInPlace, "refs"),
        },
        ("label", "alpha2", "alpha3", "m49"),
    ),
    "City": RecordType((SCHEMA.City, SCHEMA.Place), {"within": (SCHEMA.containedInPlace, "refs")}),
    "AdministrativeArea": RecordType(
        (SCHEMA.AdministrativeArea, SCHEMA.Place), {"within": (SCHEMA.containedInPlace, "refs")}
    ),
    "Region": RecordType(
        (GMP.Region, SCHEMA.Place),
        {
            "m49": (GMP.m49, "str"),
            "m49_groups": (GMP.m49Group, "strs"),
            "within": (SCHEMA.containedInPlace, "refs"),
        },
    ),
    "Language": RecordType(
        (DCTERMS.LinguisticSystem,), {"code": (SCHEMA.identifier, "str")}, ("label", "code")
    ),
    "Concept": RecordType((SKOS.Concept,), {"scheme": (SKOS.inScheme, "ref")}, ("label", "scheme")),
    "ConceptScheme": RecordType((SKOS.ConceptScheme,)),
    "ReportingPeriod": RecordType((GMP.ReportingPeriod, PROV.Entity), {}, ("label", "when")),
    "Source": RecordType((SCHEMA.Report, FABIO.Report, PROV.Entity, SCHEMA.CreativeWork), DOCUMENT),
}

LABEL_ALSO = RDFS.label
"""Every ``label`` is written as both skos:prefLabel and rdfs:label, for generic tools."""


ID_KINDS: dict[str, tuple[str, ...]] = {
    "Partnership": ("gmp",),
    "PartnershipArea": ("area",),
    "Organization": ("org",),
    "Government": ("org",),
    "Post": ("post",),
    "Membership": ("membership",),
    "Project": ("project",),
    "Activity": ("activity",),
    "Event": ("event",),
    "EventSeries": ("event",),
    "Document": ("doc",),
    "Report": ("doc",),
    "Guidance": ("doc",),
    "BusinessPlan": ("plan",),
    "Dataset": ("dataset",),
    "Software": ("software",),
    "Video": ("video",),
    "Series": ("series",),
    "FundingMechanism": ("mechanism",),
    "FundingFlow": ("flow",),
    "Target": ("target",),
    "StatDataSet": ("dataset",),
    "PartnerCount": ("obs",),
    "ExpenditureShare": ("obs",),
    "KnowledgeGap": ("gap",),
    "Need": ("need",),
    "ImprovementArea": ("improvement",),
    "ImprovementAction": ("action",),
    "Highlight": ("highlight",),
    "Country": ("wd", "country"),
    "City": ("place",),
    "AdministrativeArea": ("place",),
    "Region": ("region", "place"),
    "Language": ("language",),
    "Concept": ("category", "technology"),
    "ConceptScheme": ("scheme",),
    "Source": ("report",),
    "ReportingPeriod": ("period",),
}
"""The id kinds (the path segment before ``/``) each record type may use; a Country is its
Wikidata entity (``wd:Q813``) or, added through a form, ``country/<ISO 3166-1 alpha-3>``; the
Partnership itself is ``gmp``."""
