"""Issue 7, point 3: who appoints each county's chief probation officer (the state default and
the sourced exceptions), the generic county bodies' re-checked facts, and cities' and counties'
own sanctuary laws (graph_data/california/local-laws.ttl) in the city plan."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, RDF, SKOS

from pipeline_atlas import Atlas
from pipeline_atlas.plan import city_plan

ROOT = Path(__file__).resolve().parents[1]
CALIFORNIA = ROOT / "graph_data" / "california"
PROBATION_CSV = CALIFORNIA / "sources" / "ca_probation_chief_appointment.csv"
COUNTIES_CSV = CALIFORNIA / "sources" / "ca_counties.csv"
MY_FILES = [CALIFORNIA / "generic-bodies.ttl", CALIFORNIA / "local-laws.ttl"]
PA = rdflib.Namespace("https://w3id.org/pipeline-atlas/ont/")
ID = "https://w3id.org/pipeline-atlas/id/"
VOCAB = rdflib.Namespace(ID + "vocab/")
HEADER = [
    "fips",
    "county",
    "appointed_by",
    "nominated_by",
    "rule",
    "source",
    "read",
    "confidence",
    "note_en",
    "note_es",
]
CHECKED = rdflib.Literal("2026-12-01", datatype=rdflib.XSD.date)

NEW_LAWS = {
    "Los Angeles County policy against ICE transfers without a judicial warrant (2020)",
    "Santa Clara County Civil Detainer Policy (Board Policy No. 3.54, 2011)",
    "Santa Ana Ordinance NS-2908 (sanctuary ordinance, 2017)",
    "Long Beach Values Act of 2018",
    "Richmond sanctuary ordinances (Ordinance No. 29-90, strengthened in 2025)",
}


# The chief probation officer CSV -------------------------------------------------------------


def probation_rows() -> list[dict[str, str]]:
    with PROBATION_CSV.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == HEADER
        return list(reader)


def test_probation_csv_matches_the_counties() -> None:
    with COUNTIES_CSV.open(encoding="utf-8", newline="") as f:
        counties = {r["county_fips"]: r["short_name"] for r in csv.DictReader(f)}
    rows = probation_rows()
    for row in rows:
        assert row["fips"] in counties, row["fips"]
        name = counties[row["fips"]]
        assert row["county"] == name or row["county"].startswith(name + " ("), row["county"]
        assert row["appointed_by"] in {
            "superior-court",
            "board-of-supervisors",
            "mayor",
            "juvenile-probation-commission",
            "other",
        }
        assert row["rule"] in {"default", "charter", "ordinance"}
        assert row["confidence"] in {"verified", "reported"}
        assert row["read"] == "2026-12-01"
        assert row["source"].count("http") >= 1
        assert row["note_en"] and row["note_es"]
    # one row per county, except San Francisco's two departments
    assert Counter(r["fips"] for r in rows) == Counter(
        {"06017": 1, "06037": 1, "06065": 1, "06075": 2, "06105": 1}
    )


def test_probation_decisions() -> None:
    decided = {
        r["county"]: (r["appointed_by"], r["nominated_by"], r["rule"], r["confidence"])
        for r in probation_rows()
    }
    assert decided == {
        "El Dorado": ("board-of-supervisors", "", "ordinance", "reported"),
        "Los Angeles": ("board-of-supervisors", "", "charter", "reported"),
        "Riverside": ("superior-court", "juvenile-justice-commission", "default", "reported"),
        "San Francisco (adult)": ("superior-court", "", "default", "reported"),
        "San Francisco (juvenile)": (
            "mayor",
            "juvenile-probation-commission",
            "charter",
            "verified",
        ),
        "Trinity": ("superior-court", "", "default", "reported"),
    }
    el_dorado = next(r for r in probation_rows() if r["county"] == "El Dorado")
    assert "Ordinance 5250" in el_dorado["note_en"] and "13 Jan 2026" in el_dorado["note_en"]
    assert "check that it passed" in el_dorado["note_en"]
    juvenile = next(r for r in probation_rows() if r["county"] == "San Francisco (juvenile)")
    assert "Juvenile Probation Department" in juvenile["note_en"]
    assert "Libertad Condicional Juvenil" in juvenile["note_es"]


# The generic county bodies --------------------------------------------------------------------


@pytest.fixture(scope="module")
def generic() -> rdflib.Graph:
    return rdflib.Graph().parse(CALIFORNIA / "generic-bodies.ttl")


def texts(graph: rdflib.Graph, node: str, predicate: rdflib.URIRef, lang: str) -> list[str]:
    return [
        str(o)
        for o in graph.objects(rdflib.URIRef(ID + node), predicate)
        if isinstance(o, rdflib.Literal) and o.language == lang
    ]


def test_chief_probation_officer_rule_is_the_default_unless_a_charter_or_ordinance(
    generic: rdflib.Graph,
) -> None:
    chief = ID + "office/chief-probation-officer"
    court = rdflib.URIRef(ID + "body/county-superior-court")
    assert (rdflib.URIRef(chief), PA.appointedBy, court) in generic
    (note_en,) = texts(generic, "office/chief-probation-officer", SKOS.note, "en")
    (note_es,) = texts(generic, "office/chief-probation-officer", SKOS.note, "es")
    assert "unless a county charter or ordinance provides otherwise" in note_en
    assert "Welf. & Inst. Code §§ 270\N{EN DASH}271; Gov. Code § 27770" in note_en
    assert "check your county" in note_en
    assert "salvo que la carta constitutiva (charter) o una ordenanza del condado" in note_es
    assert "verifique la regla de su condado" in note_es
    (definition,) = texts(generic, "body/county-superior-court", SKOS.definition, "en")
    assert definition.endswith("unless a county charter or ordinance provides otherwise.")
    assert texts(generic, "office/chief-probation-officer", rdflib.RDFS.label, "es") == [
        "Jefe o jefa del Departamento de Libertad Condicional"
    ]
    assert texts(generic, "body/county-superior-court", rdflib.RDFS.label, "es") == [
        "Corte Superior del condado"
    ]
    assert (
        rdflib.URIRef(chief),
        PA.confidence,
        VOCAB["confidence-reported"],
    ) in generic


def test_county_jail_is_kept_by_the_sheriff_in_most_counties(generic: rdflib.Graph) -> None:
    (definition,) = texts(generic, "body/county-sheriffs-department", SKOS.definition, "en")
    assert definition.endswith("which keeps the county jail in most counties.")
    (note,) = texts(generic, "body/county-sheriffs-department", SKOS.note, "en")
    assert "Gov. Code § 26605" in note and "Napa County" in note


# Spanish, confidence and date on every node of my files ----------------------------------------


@pytest.mark.parametrize("path", MY_FILES, ids=lambda p: p.name)
def test_every_english_text_has_its_spanish(path: Path) -> None:
    graph = rdflib.Graph().parse(path)
    count: Counter[tuple[rdflib.term.Node, rdflib.term.Node, str]] = Counter()
    for s, p, o in graph:
        if isinstance(o, rdflib.Literal) and o.language:
            count[(s, p, o.language)] += 1
    for (s, p, lang), n in count.items():
        if lang == "en":
            assert count[(s, p, "es")] == n, (s, p)
    assert {lang for _, _, lang in count} == {"en", "es"}


@pytest.mark.parametrize("path", MY_FILES, ids=lambda p: p.name)
def test_every_sourced_node_has_confidence_and_last_checked(path: Path) -> None:
    graph = rdflib.Graph().parse(path)
    sourced = set(graph.subjects(DCTERMS.source, None))
    assert sourced
    levels = {VOCAB["confidence-verified"], VOCAB["confidence-reported"]}
    for node in sourced:
        assert len(list(graph.objects(node, PA.confidence))) == 1, node
        assert graph.value(node, PA.confidence) in levels, node
        assert list(graph.objects(node, PA.lastChecked)) == [CHECKED], node
        assert all(
            "2026-12-01" in str(s) or "Pipeline Atlas" in str(s) or "csv" in str(s)
            for s in graph.objects(node, DCTERMS.source)
        ), node


def test_local_laws_file_holds_the_five_laws() -> None:
    graph = rdflib.Graph().parse(CALIFORNIA / "local-laws.ttl")
    laws = set(graph.subjects(RDF.type, PA.LegalInstrument))
    labels = {
        str(o) for law in laws for o in graph.objects(law, rdflib.RDFS.label) if o.language == "en"
    }
    assert labels == NEW_LAWS
    assert len(laws) == 5
    for law in laws:
        assert graph.value(law, DCTERMS.bibliographicCitation)
        assert set(graph.objects(law, PA.limitsFlow))
        assert set(graph.objects(law, PA.appliesTo))


# The city plan ---------------------------------------------------------------------------------


def local_laws_here(atlas: Atlas, city: str, flow: str, lang: str = "en") -> set[str]:
    """The local (city or county) laws that the plan lists as limiting ``flow`` in ``city``."""
    local = {str(r["lawLabel"]) for r in atlas.query("local-laws", params={"lang": lang}).rows}
    plan = city_plan(atlas, city, lang=lang)
    (found,) = [f for s in plan.stages for f in s.flows if f.flow == ID + "flow/" + flow]
    assert not set(found.limited_by) & {law for law, _ in found.limited_elsewhere}
    return set(found.limited_by) & local


def test_santa_anas_own_ordinance_is_in_its_plan(atlas: Atlas) -> None:
    law = "Santa Ana Ordinance NS-2908 (sanctuary ordinance, 2017)"
    for flow in (
        "city-departments-to-immigration-enforcement",
        "jail-detainers-and-notifications",
        "lockup-personal-information",
    ):
        assert local_laws_here(atlas, "santa-ana", flow) == {law}, flow
    assert local_laws_here(
        atlas, "santa-ana", "city-departments-to-immigration-enforcement", "es"
    ) == {"Ordenanza NS-2908 de Santa Ana (ordenanza santuario, 2017)"}
    # elsewhere it is a model, not a limit
    plan = city_plan(atlas, "fresno")
    (flow,) = [
        f
        for s in plan.stages
        for f in s.flows
        if f.flow.endswith("city-departments-to-immigration-enforcement")
    ]
    assert (law, "Santa Ana") in flow.limited_elsewhere
    assert law not in flow.limited_by


def test_long_beach_has_its_own_act_and_its_countys_policy(atlas: Atlas) -> None:
    county = "Los Angeles County policy against ICE transfers without a judicial warrant (2020)"
    act = "Long Beach Values Act of 2018"
    assert local_laws_here(atlas, "long-beach", "city-departments-to-immigration-enforcement") == {
        act
    }
    assert local_laws_here(atlas, "long-beach", "jail-detainers-and-notifications") == {county}
    assert local_laws_here(atlas, "long-beach", "lockup-personal-information") == {act, county}


def test_county_laws_reach_every_city_of_the_county(atlas: Atlas) -> None:
    policy = "Santa Clara County Civil Detainer Policy (Board Policy No. 3.54, 2011)"
    assert local_laws_here(atlas, "san-jose", "jail-detainers-and-notifications") == {policy}
    assert local_laws_here(atlas, "los-angeles", "jail-detainers-and-notifications") == {
        "Los Angeles County policy against ICE transfers without a judicial warrant (2020)",
        "Los Angeles Ordinance 188441",
    }
    assert local_laws_here(atlas, "richmond", "jail-detainers-and-notifications") == {
        "Richmond sanctuary ordinances (Ordinance No. 29-90, strengthened in 2025)"
    }
    # a place with no local law of its own or of its county
    assert local_laws_here(atlas, "fresno", "jail-detainers-and-notifications") == set()


def test_local_laws_lookup_places_each_new_law(atlas: Atlas) -> None:
    rows = atlas.query("local-laws").rows
    where = {
        (str(r["lawLabel"]), str(r["placeLabel"])) for r in rows if str(r["lawLabel"]) in NEW_LAWS
    }
    assert where == {
        (
            "Los Angeles County policy against ICE transfers without a judicial warrant (2020)",
            "Los Angeles County",
        ),
        (
            "Santa Clara County Civil Detainer Policy (Board Policy No. 3.54, 2011)",
            "Santa Clara County",
        ),
        ("Santa Ana Ordinance NS-2908 (sanctuary ordinance, 2017)", "Santa Ana"),
        ("Long Beach Values Act of 2018", "Long Beach"),
        ("Richmond sanctuary ordinances (Ordinance No. 29-90, strengthened in 2025)", "Richmond"),
    }
