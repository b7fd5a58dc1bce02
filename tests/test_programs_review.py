"""Issue 7 fact review of the justice-fund programs and the state and federal bodies
(graph_data/california/programs.ttl and state-federal.ttl): where each program is placed, what its
eligibility says and as of when, confidence and last-checked dates, and Spanish for every English
text. The log of what changed is docs/fact-review/programs-and-state-federal.md."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, RDFS, SKOS, XSD

from pipeline_atlas import Atlas
from pipeline_atlas.plan import UnknownPlaceError, city_plan

ROOT = Path(__file__).resolve().parents[1]
PROGRAMS = ROOT / "graph_data" / "california" / "programs.ttl"
STATE_FEDERAL = ROOT / "graph_data" / "california" / "state-federal.ttl"
ID = "https://w3id.org/pipeline-atlas/id/"
PA = rdflib.Namespace("https://w3id.org/pipeline-atlas/ont/")
FUEL = rdflib.URIRef(ID + "program/sacramento-fuel-network")
CHECKED = rdflib.Literal("2026-12-01", datatype=XSD.date)


def graph(*paths: Path) -> rdflib.Graph:
    g = rdflib.Graph()
    for path in paths:
        g.parse(path)
    return g


@pytest.fixture(scope="module")
def programs() -> rdflib.Graph:
    return graph(PROGRAMS)


@pytest.fixture(scope="module")
def everything() -> rdflib.Graph:
    """The whole graph_data tree: a node's confidence may sit in another file (one per node)."""
    return graph(*sorted((ROOT / "graph_data").rglob("*.ttl")))


def short(term: rdflib.term.Node) -> str:
    return str(term).removeprefix(ID)


def values(g: rdflib.Graph, node: str, prop: rdflib.URIRef) -> set[str]:
    return {short(o) for o in g.objects(rdflib.URIRef(ID + node), prop)}


def test_fuel_is_placed_in_the_city_and_the_county(programs: rdflib.Graph) -> None:
    assert values(programs, "program/sacramento-fuel-network", PA.hasJurisdiction) == {
        "jurisdiction/sacramento",
        "jurisdiction/sacramento-county",
    }
    assert values(programs, "program/sacramento-fuel-network", PA.fundedBy) == {
        "body/sacramento-city-council",
        "body/sacramento-county-board-of-supervisors",
    }
    # Its exclusion is the Sacramento Bee's of December 2018, not re-verified since.
    assert programs.value(FUEL, PA.excludesPeopleWithCriminalHistories).toPython() is True
    assert str(programs.value(FUEL, PA.asOf)) == "2018-12"
    assert programs.value(FUEL, PA.asOf).datatype == XSD.gYearMonth
    notes = {o.language: str(o) for o in programs.objects(FUEL, SKOS.scopeNote)}
    assert "not verified" in notes["en"] and "no está verificado" in notes["es"].lower()


@pytest.mark.parametrize(
    ("program", "places", "funders"),
    [
        (
            "la-justice-fund",
            {"los-angeles", "los-angeles-county"},
            {"los-angeles-city-council", "los-angeles-county-board-of-supervisors"},
        ),
        (
            "la-immigrant-community-legal-defense-program",
            {"los-angeles-county"},
            {"los-angeles-county-board-of-supervisors"},
        ),
        ("long-beach-justice-fund", {"long-beach"}, {"long-beach-city-council"}),
        ("san-francisco-public-defender-immigration-unit", {"san-francisco"}, set()),
        (
            "alameda-county-immigration-representation",
            {"alameda-county", "oakland"},
            {"alameda-county-board-of-supervisors", "oakland-city-council"},
        ),
        ("santa-ana-universal-representation", {"santa-ana"}, {"santa-ana-city-council"}),
        (
            "san-diego-county-immigrant-legal-defense",
            {"san-diego-county"},
            {"san-diego-county-board-of-supervisors"},
        ),
    ],
)
def test_each_program_is_placed_where_it_is_funded(
    programs: rdflib.Graph, program: str, places: set[str], funders: set[str]
) -> None:
    node = "program/" + program
    assert values(programs, node, PA.hasJurisdiction) == {"jurisdiction/" + p for p in places}
    assert values(programs, node, PA.fundedBy) == {"body/" + f for f in funders}


def test_every_funder_governs_a_place_of_its_program(everything: rdflib.Graph) -> None:
    for program in everything.subjects(rdflib.RDF.type, PA.LegalRepresentationProgram):
        places = set(everything.objects(program, PA.hasJurisdiction))
        for funder in everything.objects(program, PA.fundedBy):
            assert set(everything.objects(funder, PA.hasJurisdiction)) & places, (program, funder)


def test_eligibility_facts(programs: rdflib.Graph) -> None:
    excludes = {
        short(s): o.toPython()
        for s, o in programs.subject_objects(PA.excludesPeopleWithCriminalHistories)
    }
    assert excludes == {
        "program/la-justice-fund": True,
        "program/sacramento-fuel-network": True,
        "program/long-beach-justice-fund": False,
        "program/santa-ana-universal-representation": False,
        "program/san-diego-county-immigrant-legal-defense": False,
    }
    as_of = {short(s): str(o) for s, o in programs.subject_objects(PA.asOf)}
    assert as_of == {
        "program/la-immigrant-community-legal-defense-program": "2021-07-27",
        "program/long-beach-justice-fund": "2019-04",
        "program/alameda-county-immigration-representation": "2025-01",
        "program/sacramento-fuel-network": "2018-12",
        "program/santa-ana-universal-representation": "2021",
        "program/san-diego-county-immigrant-legal-defense": "2025-02",
    }
    la = rdflib.URIRef(ID + "program/la-justice-fund")
    end = programs.value(la, PA.endDate)
    assert (str(end), end.datatype) == ("2021", XSD.gYear)
    scope = {o.language: str(o) for o in programs.objects(la, SKOS.scopeNote)}
    # Which body added which exclusion: only what the sources say.
    assert "'will generally not be eligible'" in scope["en"]
    assert "§ 667.5(c)" in scope["en"]
    assert "do not say which body added the other listed crimes" in scope["en"]


def test_state_bodies_facts() -> None:
    g = graph(STATE_FEDERAL)
    bph = rdflib.URIRef(ID + "body/board-of-parole-hearings")
    labels = {o.language: str(o) for o in g.objects(bph, RDFS.label)}
    assert labels["es"] == "Junta de Audiencias de Libertad bajo Palabra (Board of Parole Hearings)"
    note = {o.language: str(o) for o in g.objects(bph, SKOS.note)}
    assert "AB 2845" in note["en"] and "§ 4812(c)" in note["en"]
    governor = rdflib.URIRef(ID + "office/governor-of-california")
    assert g.value(governor, PA.asOf) == rdflib.Literal("2024-04-08", datatype=XSD.date)
    senate = rdflib.URIRef(ID + "body/california-state-senate")
    assert "18 votes to 13 on 31 Aug 2022" in str(g.value(senate, SKOS.note))


@pytest.mark.parametrize("path", [PROGRAMS, STATE_FEDERAL], ids=lambda p: p.name)
def test_every_english_text_has_its_spanish(path: Path) -> None:
    g = graph(path)
    english: Counter[tuple] = Counter()
    spanish: Counter[tuple] = Counter()
    for s, p, o in g:
        if isinstance(o, rdflib.Literal) and o.language in ("en", "es"):
            (english if o.language == "en" else spanish)[(s, p)] += 1
    assert english  # the file has English texts
    assert {k: n for k, n in english.items() if spanish[k] != n} == {}
    assert set(spanish) <= set(english)


@pytest.mark.parametrize("path", [PROGRAMS, STATE_FEDERAL], ids=lambda p: p.name)
def test_every_sourced_node_has_confidence_and_last_checked(
    path: Path, everything: rdflib.Graph
) -> None:
    sourced = set(graph(path).subjects(DCTERMS.source, None))
    assert sourced
    for node in sourced:
        assert len(list(everything.objects(node, PA.confidence))) == 1, node
        assert list(everything.objects(node, PA.lastChecked)) == [CHECKED], node
        assert all("read 2026-12-01" in str(s) for s in graph(path).objects(node, DCTERMS.source))


def test_confidence_levels(programs: rdflib.Graph) -> None:
    levels = {short(s): short(o) for s, o in programs.subject_objects(PA.confidence)}
    assert levels["program/san-francisco-public-defender-immigration-unit"] == (
        "vocab/confidence-verified"
    )
    assert levels["program/sacramento-fuel-network"] == "vocab/confidence-reported"
    assert len(levels) == 8


def test_sacramento_plan_lists_fuel(atlas: Atlas) -> None:
    plan = city_plan(atlas, "sacramento")
    assert [
        (p.program.removeprefix(ID), p.where, p.excludes_records, p.as_of, p.ended)
        for p in plan.programs
    ] == [
        (
            "program/sacramento-fuel-network",
            ("Sacramento", "Sacramento County"),
            True,
            "2018-12",
            None,
        )
    ]


def test_sacramento_plan_in_spanish_has_the_spanish_eligibility(atlas: Atlas) -> None:
    plan = city_plan(atlas, "sacramento", lang="es")
    [fuel] = plan.programs
    assert (fuel.label, fuel.where, fuel.eligibility_language) == (
        "Red FUEL de Sacramento",
        ("Sacramento", "Condado de Sacramento"),
        "es",
    )
    assert fuel.eligibility.startswith("En diciembre de 2018")


def test_sacramento_county_lists_fuel(atlas: Atlas) -> None:
    rows = atlas.query("programs-in-place", params={"place": "sacramento-county"}).rows
    assert [(short(r["program"]), str(r["whereLabel"])) for r in rows] == [
        ("program/sacramento-fuel-network", "Sacramento County")
    ]


def test_sacramento_county_unincorporated_plan_lists_fuel(atlas: Atlas) -> None:
    try:
        plan = city_plan(atlas, "sacramento-county-unincorporated")
    except UnknownPlaceError:
        pytest.skip("no plan for a county's unincorporated areas in this graph")
    assert [(p.label, p.where, p.excludes_records) for p in plan.programs] == [
        ("Sacramento FUEL Network", ("Sacramento County",), True)
    ]


def test_west_sacramento_is_not_in_sacramento_county(atlas: Atlas) -> None:
    assert city_plan(atlas, "west-sacramento").programs == ()


def test_cq018_gives_one_row_per_program_in_the_readers_language(atlas: Atlas) -> None:
    for lang, word in (("en", "As of December 2018"), ("es", "En diciembre de 2018")):
        rows = atlas.query("cq-018", params={"lang": lang}).rows
        assert len(rows) == len({str(r["program"]) for r in rows}) == 8
        fuel = next(r for r in rows if str(r["program"]) == str(FUEL))
        assert str(fuel["eligibility"]).startswith(word)
