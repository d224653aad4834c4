"""The coverage minimums of the knowledge-graph issue: each test names what is missing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, QB, RDF, SKOS, TIME, XSD

from graph.namespaces import GMP, GMPD, SCHEMA, WD

AREAS = [
    "asgm",
    "chlor-alkali",
    "air-transport",
    "products",
    "coal",
    "waste",
    "supply-storage",
    "cement",
]


def ids(graph: Graph, cls: URIRef) -> set[str]:
    return {str(s).removeprefix(str(GMPD)) for s in graph.subjects(RDF.type, cls)}


def test_eight_areas_with_lead_objective_and_plan_status(graph: Graph) -> None:
    assert ids(graph, GMP.PartnershipArea) == {f"area/{a}" for a in AREAS}
    problems = []
    for a in AREAS:
        area = GMPD[f"area/{a}"]
        if not list(graph.subjects(GMP.leads, area)):
            problems.append(f"{a}: no lead")
        if graph.value(area, ORG.purpose) is None:
            problems.append(f"{a}: no objective")
        plan = graph.value(area, GMP.businessPlan)
        if plan is None or graph.value(plan, GMP.planStatus) is None:
            problems.append(f"{a}: no business plan status")
    assert not problems, problems
    statuses = [
        graph.value(graph.value(GMPD[f"area/{a}"], GMP.businessPlan), GMP.planStatus) for a in AREAS
    ]
    assert statuses.count(GMP["plan-updated"]) == 7 and statuses.count(GMP["plan-new"]) == 1


def _leaders(graph: Graph, area: str) -> dict[str, tuple[URIRef, URIRef | None]]:
    out = {}
    for m in graph.subjects(ORG.organization, GMPD[f"area/{area}"]):
        member = str(graph.value(m, ORG.member)).removeprefix(str(GMPD))
        out[member] = (graph.value(m, ORG.role), graph.value(m, ORG.memberDuring))
    return out


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        ("asgm", {"org/unido": GMP.CoLead, "org/nrdc": GMP.CoLead}),
        ("chlor-alkali", {"org/usepa": GMP.Lead}),
        ("air-transport", {"org/cnr-iia": GMP.Lead}),
        ("products", {"org/usepa": GMP.Lead}),
        ("coal", {"org/iea-ccc": GMP.Lead}),
        ("waste", {"org/gov-japan": GMP.Lead}),
        (
            "supply-storage",
            {"org/mpp": GMP.Lead, "org/gov-spain": GMP.CoLead, "org/gov-uruguay": GMP.CoLead},
        ),
        ("cement", {"org/csi": GMP.CoChair}),
    ],
)
def test_leads_of_each_area(graph: Graph, area: str, expected: dict[str, URIRef]) -> None:
    found = _leaders(graph, area)
    assert {k: v[0] for k, v in found.items()} == expected


def test_supply_storage_lead_change_in_november_2011(graph: Graph) -> None:
    found = _leaders(graph, "supply-storage")
    month = Literal("2011-11", datatype=XSD.gYearMonth)
    mpp_end = graph.value(found["org/mpp"][1], TIME.hasEnd)
    assert graph.value(mpp_end, TIME.inXSDgYearMonth) == month
    assert graph.value(found["org/mpp"][1], TIME.hasBeginning) is None, "start is not stated"
    for gov in ("org/gov-spain", "org/gov-uruguay"):
        begin = graph.value(found[gov][1], TIME.hasBeginning)
        assert graph.value(begin, TIME.inXSDgYearMonth) == month
        assert graph.value(found[gov][1], TIME.hasEnd) is None


@pytest.mark.parametrize(
    ("date", "counts"),
    [
        ("2010-07-01", {"government": 15, "igo": 4, "ngo": 31, "other": 20, "total": 70}),
        ("2012-06-30", {"government": 24, "igo": 5, "ngo": 44, "other": 38, "total": 111}),
    ],
)
def test_membership_snapshots(graph: Graph, date: str, counts: dict[str, int]) -> None:
    found = {}
    for obs in graph.subjects(GMP.refDate, Literal(date, datatype=XSD.date)):
        code = str(graph.value(obs, GMP.partnerType)).rsplit("pt-", 1)[1]
        found[code] = int(graph.value(obs, GMP.partnerCount))
    assert found == counts


def _amount(graph: Graph, flow: str) -> tuple[Decimal, str, str | None, str]:
    amount = graph.value(GMPD[flow], SCHEMA.amount)
    approx = str(graph.value(amount, GMP.approximation)).rsplit("approx-", 1)[1]
    per = graph.value(amount, GMP.perPeriod)
    return (
        graph.value(amount, SCHEMA.value).toPython(),
        approx,
        per and str(per),
        str(graph.value(amount, SCHEMA.currency)),
    )


@pytest.mark.parametrize(
    ("flow", "value", "approx", "per"),
    [
        ("flow/total-through-unep", 10500000, "about", None),
        ("flow/environment-fund", 1500000, "about", None),
        ("flow/unearmarked", 1000000, "almost", None),
        ("flow/extra-budgetary", 6000000, "almost", None),
        ("flow/gef-received", 2000000, "about", None),
        ("flow/secretariat-costs", 1000000, "about", "http://www.w3.org/2006/time#unitYear"),
        ("flow/balance-for-activities", 7500000, "about", None),
        ("flow/norway-kyrgyz-2011", 850000, "exact", None),
        ("flow/gef-kyrgyz-msp-2012", 1000000, "exact", None),
        ("flow/us-dos-coal-asia", 150000, "exact", None),
    ],
)
def test_funding_breakdown(
    graph: Graph, flow: str, value: int, approx: str, per: str | None
) -> None:
    assert _amount(graph, flow) == (Decimal(value), approx, per, "USD")


def test_four_sources_are_parts_of_the_total(graph: Graph) -> None:
    parts = {
        str(s).removeprefix(str(GMPD))
        for s in graph.subjects(None, GMPD["flow/total-through-unep"])
    }
    assert {
        "flow/environment-fund",
        "flow/unearmarked",
        "flow/extra-budgetary",
        "flow/gef-received",
    } <= parts


def test_secretariat_staffing(graph: Graph) -> None:
    assert int(graph.value(GMPD["flow/secretariat-staff-environment-fund"], GMP.staffCount)) == 2
    assert graph.value(GMPD["flow/secretariat-staff-voluntary"], GMP.staffCount) is None


def test_every_expenditure_share(graph: Graph) -> None:
    shares = {}
    for obs in graph.subjects(GMP.shareOfProjectExpenditure, None):
        cat = str(graph.value(obs, GMP.expenditureCategory)).removeprefix(str(GMPD))
        approx = str(graph.value(obs, GMP.approximation)).rsplit("approx-", 1)[1]
        shares[cat] = (int(graph.value(obs, GMP.shareOfProjectExpenditure).toPython()), approx)
    assert shares == {
        "area/supply-storage": (38, "about"),
        "area/coal": (21, "exact"),
        "area/asgm": (10, "about"),
        "category/assessments": (25, "about"),
    }


def test_both_targets(graph: Graph) -> None:
    asgm, chlor = GMPD["target/asgm-2017"], GMPD["target/chlor-alkali-2015"]
    assert graph.value(graph.value(asgm, GMP.deadline), TIME.inXSDgYear) == Literal(
        "2017", datatype=XSD.gYear
    )
    assert graph.value(graph.value(chlor, GMP.deadline), TIME.inXSDgYear) == Literal(
        "2015", datatype=XSD.gYear
    )
    change = graph.value(asgm, GMP.relativeChange)
    assert graph.value(change, URIRef("http://qudt.org/schema/qudt/numericValue")).toPython() == -50
    value = graph.value(chlor, GMP.targetValue)
    assert graph.value(value, URIRef("http://qudt.org/schema/qudt/numericValue")).toPython() == 250
    assert graph.value(value, URIRef("http://qudt.org/schema/qudt/unit")) == URIRef(
        "http://qudt.org/vocab/unit/TONNE"
    )


HIGHLIGHTS = {
    "asgm": 4,
    "chlor-alkali": 3,
    "air-transport": 3,
    "products": 5,
    "coal": 2,
    "waste": 4,
    "supply-storage": 4,
    "cement": 3,
}


def test_every_table_2_highlight(graph: Graph) -> None:
    counts = {a: 0 for a in AREAS}
    for h in graph.subjects(RDF.type, GMP.Highlight):
        counts[str(graph.value(h, GMP.partnershipArea)).rsplit("/", 1)[1]] += 1
        assert graph.value(h, GMP.ordinal) is not None
    assert counts == HIGHLIGHTS


NEXT_STEPS = [
    "activity/asgm-priorities-next-period",
    "event/asgm-global-forum-2",
    "project/gef-asgm-philippines-indonesia",
    "project/asgm-inventory-capacity",
    "activity/geus-asgm-projects",
    "event/asm-fair-dar-es-salaam",
    "activity/chlor-alkali-information-sharing",
    "event/ichmet-2012",
    "event/icmgp-11",
    "activity/gmos-enhancement",
    "project/china-mercury-sources",
    "activity/national-inventories-support",
    "activity/atmospheric-emissions-assessment",
    "project/dental-amalgam-east-africa",
    "project/health-care-latin-america",
    "activity/dental-phase-down-study-examples",
    "project/coal-demo-south-africa",
    "project/coal-demo-india",
    "activity/coal-member-recruitment",
    "activity/coal-south-southeast-asia",
    "activity/waste-basel-promotion",
    "activity/waste-country-projects",
    "activity/waste-resource-use",
    "activity/surplus-mercury-data",
    "activity/storage-protocols",
    "activity/mercury-availability",
    "activity/export-ban-legislation",
    "activity/regional-storage-workshops",
    "project/kyrgyz-mining-phase-out",
    "activity/cement-member-solicitation",
    "activity/cement-emissions-data",
]


def test_every_next_step_is_modelled(build: object, graph: Graph) -> None:
    missing = [i for i in NEXT_STEPS if (GMPD[i], RDF.type, None) not in graph]
    assert not missing, f"next steps missing: {missing}"


PLANNED = [
    "event/asgm-global-forum-2",
    "event/icmgp-11",
    "project/asgm-inventory-capacity",
    "project/china-mercury-sources",
    "project/coal-demo-south-africa",
    "project/coal-demo-india",
    "doc/atmospheric-emissions-assessment-update",
    "event/asm-fair-dar-es-salaam",
]


@pytest.mark.parametrize("item", PLANNED)
def test_plans_are_planned_not_done(graph: Graph, item: str) -> None:
    assert graph.value(GMPD[item], GMP.status) == GMP["status-planned"]


def test_improvement_areas_with_actions(graph: Graph) -> None:
    top = {
        str(graph.value(a, GMP.ordinal)): a
        for a in graph.subjects(RDF.type, GMP.ImprovementArea)
        if graph.value(a, URIRef("http://purl.org/dc/terms/isPartOf")) is None
    }
    assert sorted(top) == ["1", "2", "3", "4", "5"]
    empty = [
        str(a)
        for a in graph.subjects(RDF.type, GMP.ImprovementArea)
        if graph.value(a, GMP.action) is None
    ]
    assert not empty


def test_knowledge_gaps(graph: Graph) -> None:
    assert ids(graph, GMP.KnowledgeGap) == {
        f"gap/{g}" for g in ("vcm", "oil-gas", "secondary-metal", "manganese", "dental")
    }
    assert "need/national-release-estimates" in ids(graph, GMP.Need)


def test_cement_control_technologies(graph: Graph) -> None:
    tech = {
        str(graph.value(t, SKOS.prefLabel))
        for t in graph.objects(GMPD["area/cement"], GMP.investigatesTechnology)
    }
    assert tech == {
        "wet scrubbers",
        "absorption technologies",
        "dust shuttling",
        "Continuous Emission Monitoring",
    }


ORGS = [
    "unep",
    "unido",
    "nrdc",
    "usepa",
    "cnr-iia",
    "iea",
    "iea-ccc",
    "gov-japan",
    "gov-spain",
    "gov-uruguay",
    "gov-brazil",
    "gov-norway",
    "us-dos",
    "tz-ministry-of-mines",
    "mpp",
    "wbcsd",
    "csi",
    "agc",
    "undp",
    "who",
    "grid-arendal",
    "ban-toxics",
    "blacksmith",
    "geus",
    "european-commission",
    "eu",
    "gef",
    "wcc",
    "unece",
    "clrtap",
    "tf-htap",
    "basel-cop",
    "inc",
    "grulac",
    "saicm",
    "pag",
    "gmp-secretariat",
    "unep-governing-council",
]


def test_named_organisations(graph: Graph) -> None:
    found = ids(graph, ORG.Organization)
    missing = [o for o in ORGS if f"org/{o}" not in found]
    assert not missing, f"organisations missing: {missing}"
    assert len(found) >= 45


COUNTRIES = {
    "Q813",
    "Q148",
    "Q159",
    "Q258",
    "Q668",
    "Q928",
    "Q77",
    "Q16",
    "Q298",
    "Q736",
    "Q419",
    "Q711",
    "Q837",
    "Q924",
    "Q30",
    "Q29",
    "Q155",
    "Q414",
    "Q38",
    "Q17",
    "Q114",
    "Q1036",
    "Q800",
    "Q96",
    "Q252",
    "Q35",
    "Q20",
    "Q145",
    "Q424",
    "Q833",
    "Q869",
    "Q881",
}


def test_all_32_countries_with_identifiers(graph: Graph) -> None:
    countries = set(graph.subjects(RDF.type, SCHEMA.Country))
    assert countries == {WD[q] for q in COUNTRIES}
    for c in countries:
        for prop in (GMP.iso3166Alpha2, GMP.iso3166Alpha3, GMP.m49):
            assert graph.value(c, prop) is not None, f"{c} lacks {prop}"


def test_cities_and_regions(graph: Graph) -> None:
    assert ids(graph, SCHEMA.City) == {
        f"place/{c}" for c in ("manila", "nairobi", "rome", "edinburgh", "halifax", "dar-es-salaam")
    }
    regions = ids(graph, GMP.Region)
    for r in (
        "africa",
        "asia",
        "latin-america",
        "lac",
        "asia-pacific",
        "east-africa",
        "south-asia",
        "southeast-asia",
        "europe",
        "north-america",
    ):
        assert f"region/{r}" in regions


def test_documents_carry_languages(graph: Graph) -> None:
    langs = {
        str(graph.value(lang, URIRef("https://schema.org/identifier")))
        for lang in graph.objects(GMPD["doc/pog"], URIRef("http://purl.org/dc/terms/language"))
    }
    assert langs == {"en", "ru", "zh"}
    assert (
        str(graph.value(GMPD["doc/pog"], GMP.languageAsStated)) == "English, Russian, and Mandarin"
    )
    nsp = {
        str(graph.value(lang, URIRef("https://schema.org/identifier")))
        for lang in graph.objects(
            GMPD["doc/asgm-nsp-guidance"], URIRef("http://purl.org/dc/terms/language")
        )
    }
    assert nsp == {"en", "es", "fr"}


def test_events_with_place_dates_and_counts(graph: Graph) -> None:
    forum = GMPD["event/asgm-global-forum-2010"]
    when = graph.value(forum, TIME.hasTime)
    begin, end = graph.value(when, TIME.hasBeginning), graph.value(when, TIME.hasEnd)
    assert graph.value(begin, TIME.inXSDDate) == Literal("2010-12-07", datatype=XSD.date)
    assert graph.value(end, TIME.inXSDDate) == Literal("2010-12-09", datatype=XSD.date)
    assert graph.value(forum, SCHEMA.location) == GMPD["place/manila"]
    counts = {
        str(graph.value(q, GMP.verbatim)): str(graph.value(q, GMP.approximation)).rsplit("-", 1)[1]
        for q in graph.objects(forum, GMP.participation)
    }
    assert counts == {"Some 100 participants": "about", "representing 17 Governments": "exact"}
    lac = GMPD["event/lac-workshop-2012"]
    assert {str(o).rsplit("/", 1)[1] for o in graph.objects(lac, SCHEMA.organizer)} == {
        "gov-spain",
        "gov-brazil",
        "gov-uruguay",
    }


def test_us_dos_money_is_not_split(graph: Graph) -> None:
    flow = GMPD["flow/us-dos-coal-asia"]
    assert len(list(graph.objects(flow, URIRef("http://purl.org/dc/terms/spatial")))) == 7
    assert len(list(graph.objects(flow, SCHEMA.amount))) == 1


def test_cement_area_established_as_a_month(graph: Graph) -> None:
    created = graph.value(GMPD["area/cement"], URIRef("http://purl.org/dc/terms/created"))
    assert created == Literal("2011-11", datatype=XSD.gYearMonth)


def test_qb_datasets(graph: Graph) -> None:
    assert ids(graph, QB.DataSet) == {"dataset/partners", "dataset/expenditure-shares"}
