"""Issue 7, points 2 and 5: each county's unincorporated areas are a place with its own answers
and plan; the plans read in Spanish with no English paragraph left."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from cqtools import table
from pipeline_atlas.atlas import Atlas
from pipeline_atlas.plan import city_plan, places
from pipeline_atlas.plan.markdown import md

LA = "los-angeles-county-unincorporated"
NAPA = "napa-county-unincorporated"


def test_the_headline_answer_for_los_angeles_county_unincorporated_areas(atlas: Atlas) -> None:
    assert table(atlas, "cq-014", ["flow", "body", "status"], city=LA) == [
        # Stage 1: the board of supervisors makes local law there, in place of a city council.
        (
            "flow/city-departments-to-immigration-enforcement",
            "body/los-angeles-county-board-of-supervisors",
            "local",
        ),
        # Stage 2: the sheriff polices these areas and runs the county jail.
        ("flow/booking-fingerprints", None, "none"),
        ("flow/jail-detainers-and-notifications", "office/los-angeles-county-sheriff", "local"),
        ("flow/lockup-personal-information", "office/los-angeles-county-sheriff", "local"),
        ("flow/cdcr-cooperation-with-ice", "body/california-state-legislature", "state"),
        ("flow/cdcr-referrals", "body/california-state-legislature", "state"),
        ("flow/cdcr-release-dates-and-transfers", "body/california-state-legislature", "state"),
        (
            "flow/probation-appointment-notification",
            "body/los-angeles-county-board-of-supervisors",
            "local",
        ),
        ("flow/federal-transfer-to-ice", None, "none"),
    ]


def test_napa_county_unincorporated_areas_name_the_board_over_the_jail(atlas: Atlas) -> None:
    # Napa County runs its jail through a Department of Corrections under the board.
    rows = table(atlas, "cq-014", ["flow", "body"], city=NAPA)
    assert [b for f, b in rows if f == "flow/jail-detainers-and-notifications"] == [
        "body/napa-county-board-of-supervisors",
        "office/napa-county-sheriff",
    ]


def test_an_unincorporated_area_has_its_own_plan(atlas: Atlas) -> None:
    plan = city_plan(atlas, LA)
    assert plan.unincorporated
    assert plan.place_label == "Los Angeles County, unincorporated areas"
    text = plan.to_markdown()
    assert text.startswith("# Los Angeles County, unincorporated areas: a plan for organizers\n")
    assert (
        "- No city governs these areas: the county board of supervisors makes their local law, "
        "and the sheriff's department polices them." in text
    )
    assert "- Police: Los Angeles County sheriff's department (Reported" in text
    # The county's own law against transfers without a warrant binds its sheriff here.
    assert "Los Angeles County policy against ICE transfers without a judicial warrant" in text
    spanish = city_plan(atlas, LA, lang="es").to_markdown()
    assert spanish.startswith(
        "# Condado de Los Ángeles, áreas no incorporadas: un plan para organizadores\n"
    )


def test_no_unincorporated_areas_for_san_francisco(atlas: Atlas) -> None:
    slugs = {p.slug for p in places(atlas)}
    assert "san-francisco" in slugs and "san-francisco-unincorporated" not in slugs
    assert sum(s.endswith("-unincorporated") for s in slugs) == 57


def _english_texts(atlas: Atlas) -> set[str]:
    """Every English text of the graph that differs from its Spanish counterpart."""
    rows = atlas.query(
        "SELECT ?en ?es WHERE { ?s ?p ?en . FILTER(LANG(?en) = 'en') "
        "OPTIONAL { ?s ?p ?es . FILTER(LANG(?es) = 'es') } }",
        max_rows=None,
    ).terms
    texts: set[str] = set()
    for row in rows:
        en, es = row["en"], row.get("es")
        assert isinstance(en, ox.Literal)
        if len(en.value) >= 25 and (not isinstance(es, ox.Literal) or es.value != en.value):
            texts.add(en.value)
    return texts


@pytest.mark.parametrize(
    "place",
    ["oakland", "los-angeles", "san-francisco", "sacramento", "fresno", LA, NAPA],
)
def test_the_spanish_plan_has_no_english_paragraph(atlas: Atlas, place: str) -> None:
    text = city_plan(atlas, place, lang="es").to_markdown()
    english = [e for e in _english_texts(atlas) if md(e) in text]
    assert english == []
    assert "(en inglés)" not in text
