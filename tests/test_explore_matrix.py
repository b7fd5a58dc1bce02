"""Who can block information sharing: the stage-by-body matrix (pipeline_atlas.explore.matrix)."""

from __future__ import annotations

import pytest

from pipeline_atlas import Atlas
from pipeline_atlas.explore.matrix import NO, YES, matrix
from pipeline_atlas.plan import UnknownPlaceError

ID = "https://w3id.org/pipeline-atlas/id/"

# The (stage, body) pairs with a ✓ for the state, read from the seed: the city council's
# ordinance (stage 1), the appropriate elected authority's limits on the lockup (stage 2), the
# Legislature's law on CDCR and the board of supervisors' ordinance on probation (stage 3), and
# no body at the federal stage.
STATE_CELLS = {
    (1, ID + "body/city-council"),
    (2, ID + "body/appropriate-elected-authority"),
    (3, ID + "body/california-state-legislature"),
    (3, ID + "body/county-board-of-supervisors"),
}

# The same, asked of the graph directly: an action blocks a flow at a stage, is aimed at a body
# with authority over the agency the flow comes from.
DIRECT = """
PREFIX pa: <https://w3id.org/pipeline-atlas/ont/>
SELECT DISTINCT ?order ?body WHERE {
  ?action pa:blocksFlow ?flow ; pa:targets ?body .
  ?flow pa:atStage ?stage ; pa:flowsFrom ?agency .
  ?body pa:hasAuthorityOver ?agency .
  ?stage pa:stageOrder ?order .
}
"""


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return Atlas.open_default()


def test_the_state_matrix(atlas: Atlas) -> None:
    grid = matrix(atlas)
    ticked = {(c.stage, c.body) for c in grid.cells if c.can_block}
    assert ticked == STATE_CELLS
    direct = {(int(str(r["order"])), str(r["body"])) for r in atlas.query(DIRECT).rows}
    assert ticked == direct
    assert [s.order for s in grid.stages] == [1, 2, 3, 4]
    assert [b.label for b in grid.bodies] == [
        "City council",
        "The appropriate elected authority or authorities",
        "California State Legislature",
        "County board of supervisors",
    ]
    council = grid.cell(1, "City council")
    assert council.agencies == ("Other city departments",)
    assert council.data_kinds == ("Information held by city departments",)
    assert council.flows == (
        "City departments cooperate or share information with immigration enforcement",
    )
    assert len(council.gaps) == 1 and council.gaps[0].startswith("SB 54 governs")
    assert not grid.cell(4, "City council").can_block
    probation = grid.cell(3, ID + "body/county-board-of-supervisors")
    assert probation.agencies == ("County probation department",)
    assert probation.data_kinds == ("Upcoming probation appointment",)


def test_the_remaining_gaps_of_the_state(atlas: Atlas) -> None:
    grid = matrix(atlas)
    gaps = {s.order: s.gaps for s in grid.stages}
    assert gaps[1] == ()
    assert gaps[2] == (
        "No local body can stop this flow (“Booking fingerprints go to the FBI and DHS”), and no "
        "other body in the atlas, state or federal, can either.",
    )
    assert len(gaps[3]) == 3 and all("California State Legislature" in g for g in gaps[3])
    assert gaps[4] == (
        "No local body can stop this flow (“Transfer to ICE after a federal conviction”), and no "
        "other body in the atlas, state or federal, can either.",
    )


def test_the_state_matrix_as_a_table_in_spanish(atlas: Atlas) -> None:
    rows = matrix(atlas, lang="es").to_rows()
    assert [row["Etapa"] for row in rows] == [
        "1. Parada policial",
        "2. Arresto policial y celda de detención de la policía local",
        "3. Condena por un delito estatal",
        "4. Condena por un delito federal",
    ]
    assert list(rows[0]) == [
        "Etapa",
        "Concejo Municipal",
        "La autoridad o autoridades electas correspondientes",
        "Junta de Supervisores del Condado",
        "Legislatura estatal de California",
        "Lo que nadie aquí puede bloquear",
    ]
    assert rows[0]["Concejo Municipal"].startswith(f"{YES} Aprobar una ordenanza")
    assert rows[3]["Concejo Municipal"] == NO
    assert rows[0]["Lo que nadie aquí puede bloquear"] == NO


def test_the_matrix_for_oakland(atlas: Atlas) -> None:
    grid = matrix(atlas, place="oakland")
    assert grid.place == "oakland"
    assert grid.place_label == "Oakland, Alameda County"
    ticked = {(c.stage, c.body_label) for c in grid.cells if c.can_block}
    assert ticked == {
        (1, "Oakland City Council"),
        (2, "Oakland City Council"),
        (2, "Sheriff of Alameda County"),
        (3, "Alameda County Board of Supervisors"),
        (3, "California State Legislature"),
    }
    assert {b.label: b.status for b in grid.bodies} == {
        "Oakland City Council": "local",
        "Sheriff of Alameda County": "local",
        "Alameda County Board of Supervisors": "local",
        "California State Legislature": "state",
    }
    council = grid.cell(1, "Oakland City Council")
    assert council.actions == (
        "Pass an ordinance barring city departments from cooperating or sharing information "
        "with immigration enforcement",
    )
    sheriff = grid.cell(2, "Sheriff of Alameda County")
    assert set(sheriff.data_kinds) == {"Release date and custody", "Personal information"}
    assert sheriff.can_do and sheriff.can_do[0].startswith("Runs the county jail")
    assert "Booking fingerprints go to the FBI and DHS" in grid.stages[1].gaps[0]
    assert grid.title == (
        "Who can block information sharing for Oakland, Alameda County, stage by stage"
    )


def test_the_matrix_for_oakland_in_spanish(atlas: Atlas) -> None:
    grid = matrix(atlas, place="oakland", lang="es")
    ticked = {(c.stage, c.body_label) for c in grid.cells if c.can_block}
    assert (1, "Concejo Municipal de Oakland") in ticked
    assert (3, "Junta de Supervisores del Condado de Alameda") in ticked
    assert grid.text.splitlines()[0] == (
        "Quién puede bloquear el intercambio de información para Oakland, Condado de Alameda, "
        "etapa por etapa"
    )


def test_an_unknown_place_offers_close_matches(atlas: Atlas) -> None:
    with pytest.raises(UnknownPlaceError) as caught:
        matrix(atlas, place="oaklnd")
    assert caught.value.candidates == ["oakland"]
