"""Issue 7, point 1: who polices each city and who runs each jail, and who answers for the lockup
stage of ``cq-014`` and the city plan (the document's "appropriate elected authority")."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from cqtools import short
from pipeline_atlas import Atlas
from pipeline_atlas.namespaces import PREFIXES
from pipeline_atlas.paths import ProjectPaths
from pipeline_atlas.plan.model import city_plan
from pipeline_atlas.sources.california import OUTPUT_DIR, SOURCE_DIR, GenerationError, generate

ROOT = Path(__file__).resolve().parents[1]

LOCKUP = "stage/police-arrest-and-lockup"
PREFIX_LINES = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items())


def lockup(atlas: Atlas, city: str, lang: str = "en") -> list[tuple[Any, ...]]:
    """The lockup stage of cq-014: (flow, body, status, whether canDo is given)."""
    rows = atlas.query("cq-014", params={"city": city, "lang": lang}).rows
    return [
        (short(r["flow"]), short(r["body"]), r["status"], r["canDo"] is not None)
        for r in rows
        if short(r["stage"]) == LOCKUP
    ]


def both_flows(*answers: tuple[str | None, str, bool]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = [("flow/booking-fingerprints", None, "none", False)]
    for flow in ("flow/jail-detainers-and-notifications", "flow/lockup-personal-information"):
        rows += [(flow, *answer) for answer in answers]
    return rows


def select(atlas: Atlas, sparql: str) -> list[dict[str, Any]]:
    return [dict(r) for r in atlas.query(f"{PREFIX_LINES}\n{sparql}").rows]


def test_oakland_council_over_its_police_and_the_sheriff_over_the_jail(atlas: Atlas) -> None:
    assert lockup(atlas, "oakland") == both_flows(
        ("body/oakland-city-council", "local", True),
        ("office/alameda-county-sheriff", "local", True),
    )
    rows = atlas.query("cq-014", params={"city": "oakland"}).rows
    notes = {short(r["body"]): r["canDo"] for r in rows if short(r["stage"]) == LOCKUP}
    assert str(notes["body/oakland-city-council"]).startswith(
        "Can adopt a local policy or ordinance that limits how the Oakland Police Department"
    )
    assert str(notes["office/alameda-county-sheriff"]).startswith(
        "Runs the county jail (Alameda County Sheriff's Office)"
    )
    assert all("8 U.S.C. § 1373" in str(n) for n in notes.values() if n)
    es = {
        short(r["body"]): r
        for r in atlas.query("cq-014", params={"city": "oakland", "lang": "es"}).rows
    }
    assert str(es["office/alameda-county-sheriff"]["canDo"]).startswith(
        "Administra la cárcel del condado (Alameda County Sheriff's Office)"
    )


def test_booking_fingerprints_stay_with_no_body(atlas: Atlas) -> None:
    for city in ("oakland", "lakewood", "napa", "sonoma", "san-francisco"):
        assert lockup(atlas, city)[0] == ("flow/booking-fingerprints", None, "none", False)


def test_a_los_angeles_county_city_not_in_the_post_list(atlas: Atlas) -> None:
    # Lakewood has no municipal police agency in the POST list (as of 2023-08-16).
    assert lockup(atlas, "lakewood") == both_flows(
        (None, "unknown", False),
        ("office/los-angeles-county-sheriff", "local", True),
    )
    plan = city_plan(atlas, "lakewood")
    assert plan.police_provider is None
    markdown = plan.to_markdown()
    assert "- **Sheriff of Los Angeles County** (county)" in markdown
    assert "Runs the county jail (Los Angeles County Sheriff's Department)" in markdown
    assert (
        "Who polices Lakewood: not confirmed. Lakewood has no municipal police agency in the "
        "POST list (as of 2023-08-16)"
    ) in markdown
    assert "contracts with" not in markdown


def test_contract_cities_answer_through_the_contracting_agency(atlas: Atlas) -> None:
    sheriff = ("office/sonoma-county-sheriff", "local", True)
    assert lockup(atlas, "sonoma") == both_flows(sheriff)
    assert lockup(atlas, "windsor") == both_flows(sheriff)
    assert lockup(atlas, "santa-fe-springs") == both_flows(
        ("office/los-angeles-county-sheriff", "local", True),
        ("body/whittier-city-council", "local", True),
    )
    found = select(
        atlas,
        "SELECT ?city ?agency ?parent WHERE { ?city pa:hasPoliceProvider ?agency . "
        "?agency org:subOrganizationOf ?parent } ORDER BY ?city",
    )
    assert [tuple(short(v) for v in r.values()) for r in found] == [
        (
            "jurisdiction/santa-fe-springs",
            "body/santa-fe-springs-police-services",
            "body/whittier-police-department",
        ),
        (
            "jurisdiction/sonoma",
            "body/sonoma-police-department",
            "body/sonoma-county-sheriffs-department",
        ),
        (
            "jurisdiction/windsor",
            "body/windsor-police-department",
            "body/sonoma-county-sheriffs-department",
        ),
    ]


def test_napa_runs_its_jail_through_a_department_under_the_board(atlas: Atlas) -> None:
    assert lockup(atlas, "napa") == both_flows(
        ("body/napa-city-council", "local", True),
        ("body/napa-county-board-of-supervisors", "local", True),
    )
    operators = select(
        atlas, "SELECT ?county ?jail WHERE { ?county pa:hasJailOperator ?jail } ORDER BY ?county"
    )
    assert len(operators) == 58
    odd = [
        (short(r["county"]), short(r["jail"]))
        for r in operators
        if short(r["jail"])
        != short(r["county"]).replace("jurisdiction/", "body/") + "-sheriffs-department"
    ]
    assert odd == [("jurisdiction/napa-county", "body/napa-county-department-of-corrections")]


def test_every_post_agency_has_its_source_date_and_website(atlas: Atlas) -> None:
    found = select(
        atlas,
        "SELECT (COUNT(DISTINCT ?a) AS ?n) (COUNT(DISTINCT ?council) AS ?councils) WHERE { "
        "?city a pa:City ; pa:hasPoliceProvider ?a . "
        "?a pa:officialWebsite ?site ; pa:asOf ?date ; "
        "dcterms:source ?source . FILTER(STR(?date) = '2023-08-16' "
        "&& CONTAINS(?source, 'Stanford KNOW Systemic Racism')) "
        "OPTIONAL { ?council pa:hasAuthorityOver ?a } }",
    )
    # 324 of their own (all but the joint Central Marin Police Authority under a council or,
    # in San Francisco, the board of supervisors) and 3 staffed under contract.
    assert (found[0]["n"], found[0]["councils"]) == (327, 323)
    sheriffs = select(
        atlas,
        "SELECT ?name ?site WHERE { body:sonoma-county-sheriffs-department skos:altLabel ?name ; "
        "pa:officialWebsite ?site . FILTER(lang(?name) = 'en') }",
    )
    assert [(r["name"], str(r["site"])) for r in sheriffs] == [
        ("Sonoma County Sheriff's Office", "https://www.sonomasheriff.org")
    ]


def test_the_oakland_plan_names_who_answers_at_the_lockup(atlas: Atlas) -> None:
    plan = city_plan(atlas, "oakland")
    assert plan.police_provider == "Oakland Police Department"
    lockup_stage = plan.stages[1]
    names = {b.body_label for f in lockup_stage.flows for b in f.blockers if b.status == "local"}
    assert names == {"Oakland City Council", "Sheriff of Alameda County"}
    markdown = plan.to_markdown()
    assert "- **Sheriff of Alameda County** (county)" in markdown
    assert "    - What it can and cannot do: Can adopt a local policy or ordinance" in markdown
    es = city_plan(atlas, "oakland", lang="es").to_markdown()
    assert "    - Lo que puede y no puede hacer: Administra la cárcel del condado" in es


# The generator refuses what the POST-derived lists cannot support -------------------------------


@pytest.fixture
def copy(tmp_path: Path) -> ProjectPaths:
    """A project holding only graph_data/california (sources and generated files)."""
    shutil.copytree(ROOT / OUTPUT_DIR, tmp_path / OUTPUT_DIR)
    return ProjectPaths.at(tmp_path)


def edit(copy: ProjectPaths, name: str, old: str, new: str) -> None:
    path = copy.root / SOURCE_DIR / name
    text_ = path.read_text(encoding="utf-8")
    assert old in text_
    path.write_text(text_.replace(old, new, 1), encoding="utf-8")


def test_a_note_with_no_spanish_text_fails(copy: ProjectPaths) -> None:
    edit(copy, "ca_city_police_agencies_post.csv", "2023-08-16,\n", "2023-08-16,a new note\n")
    with pytest.raises(GenerationError, match="a note with no Spanish text"):
        generate(copy)


def test_a_contract_with_an_unknown_provider_fails(copy: ProjectPaths) -> None:
    edit(copy, "ca_city_police_agencies_post.csv", "contract,Whittier Police", "contract,Nobody")
    with pytest.raises(GenerationError, match="Santa Fe Springs's provider"):
        generate(copy)


def test_a_missing_sheriff_fails(copy: ProjectPaths) -> None:
    path = copy.root / SOURCE_DIR / "ca_county_sheriffs_post.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(
        "".join(line for line in lines if not line.startswith("Napa")), encoding="utf-8"
    )
    with pytest.raises(GenerationError, match="no sheriff for county FIPS 06055"):
        generate(copy)
