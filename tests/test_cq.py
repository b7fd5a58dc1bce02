"""Competency questions (issue #2, point 5): each catalogue query, run through the library with
bound parameters, gives exactly the answer the source document supports."""

from __future__ import annotations

from typing import Any

import pytest

from cqtools import ID, short, table
from pipeline_atlas import Atlas


def test_catalogue_has_at_least_twelve_competency_questions(atlas: Atlas) -> None:
    cqs = [q for q in atlas.catalogue() if q.id.startswith("cq-")]
    assert len(cqs) >= 12
    assert all(q.summary.endswith(".") for q in cqs)


def test_cq001_stages_in_order(atlas: Atlas) -> None:
    assert table(atlas, "cq-001-stages-in-order", ["stage", "stageLabel", "order", "next"]) == [
        ("stage/police-stop", "Police Stop", 1, "stage/police-arrest-and-lockup"),
        (
            "stage/police-arrest-and-lockup",
            "Police Arrest & Local Police Department Lockup",
            2,
            "stage/state-crime-conviction",
        ),
        (
            "stage/state-crime-conviction",
            "State Crime Conviction",
            3,
            "stage/federal-crime-conviction",
        ),
        ("stage/federal-crime-conviction", "Federal Crime Conviction", 4, None),
    ]


def test_cq001_in_spanish(atlas: Atlas) -> None:
    assert table(atlas, "cq-001", ["stageLabel"], lang="es") == [
        ("Parada policial",),
        ("Arresto policial y celda de detención de la policía local",),
        ("Condena por un delito estatal",),
        ("Condena por un delito federal",),
    ]


def test_cq002_actions_at_a_given_stage(atlas: Atlas) -> None:
    cols = ["action", "target", "instrumentLabel", "scopeLabel"]
    assert table(atlas, "cq-002", cols, stage="state-crime-conviction") == [
        (
            "action/governor-commutation",
            "office/governor-of-california",
            "Commutation of sentence",
            "Individualized",
        ),
        ("action/governor-pardon", "office/governor-of-california", "Pardon", "Individualized"),
        (
            "action/state-law-cdcr-noncooperation",
            "body/california-state-legislature",
            "Legislation (statute)",
            "Systemic",
        ),
        (
            "action/county-probation-ordinance",
            "body/county-board-of-supervisors",
            "Ordinance",
            "Systemic",
        ),
    ]
    assert table(atlas, "cq-002", ["action", "target"], stage="police-stop") == [
        ("action/city-justice-fund", "body/city-council"),
        ("action/city-noncooperation-ordinance", "body/city-council"),
    ]


def test_cq002_without_a_stage_lists_all_eight_actions_in_document_order(atlas: Atlas) -> None:
    assert [r[0] for r in table(atlas, "cq-002", ["action"])] == [
        "action/city-justice-fund",
        "action/city-noncooperation-ordinance",
        "action/limit-collection-and-sharing",
        "action/governor-commutation",
        "action/governor-pardon",
        "action/state-law-cdcr-noncooperation",
        "action/county-probation-ordinance",
        "action/federal-universal-representation",
    ]


HEADLINE_COLS = ["stage", "body", "action", "agency", "dataKindLabel", "passage"]


def test_cq003_headline_who_can_block_information_sharing(atlas: Atlas) -> None:
    assert table(atlas, "cq-003-who-can-block-information-sharing", HEADLINE_COLS) == [
        (
            "stage/police-stop",
            "body/city-council",
            "action/city-noncooperation-ordinance",
            "body/city-departments",
            "Information held by city departments",
            "passage/p07",
        ),
        (
            "stage/police-arrest-and-lockup",
            "body/appropriate-elected-authority",
            "action/limit-collection-and-sharing",
            "body/local-police-department",
            "Personal information",
            "passage/p09",
        ),
        (
            "stage/state-crime-conviction",
            "body/california-state-legislature",
            "action/state-law-cdcr-noncooperation",
            "body/cdcr",
            "State prison custody information",
            "passage/p17",
        ),
        (
            "stage/state-crime-conviction",
            "body/county-board-of-supervisors",
            "action/county-probation-ordinance",
            "body/county-probation-department",
            "Upcoming probation appointment",
            "passage/p18",
        ),
        ("stage/federal-crime-conviction", None, None, None, None, None),
    ]


def test_cq003_passages_are_the_document_text(atlas: Atlas) -> None:
    text = atlas.query("cq-003", params={"stage": "police-stop"}).rows[0]["passageText"]
    assert text == (
        "City council can also pass ordinances preventing other city departments from "
        "cooperating with, or sharing information with immigration enforcement."
    )


def test_cq003_for_one_stage_in_spanish(atlas: Atlas) -> None:
    assert table(
        atlas, "cq-003", ["bodyLabel", "agencyLabel"], stage="state-crime-conviction", lang="es"
    ) == [
        ("Junta de Supervisores del Condado", "Departamento de Libertad Condicional del Condado"),
        (
            "Legislatura estatal de California",
            "Departamento de Correcciones y Rehabilitación de California (CDCR)",
        ),
    ]


def test_cq004_actions_aimed_at_an_office(atlas: Atlas) -> None:
    cols = ["action", "stage", "instrumentLabel", "effectLabel"]
    assert table(atlas, "cq-004", cols, target="office:governor-of-california") == [
        (
            "action/governor-pardon",
            "stage/state-crime-conviction",
            "Pardon",
            "Relief through clemency",
        ),
        (
            "action/governor-commutation",
            "stage/state-crime-conviction",
            "Commutation of sentence",
            "Relief through clemency",
        ),
    ]


def test_cq004_actions_aimed_at_a_body_with_two_effects(atlas: Atlas) -> None:
    rows = atlas.query("cq-004", params={"target": f"{ID}body/county-board-of-supervisors"}).rows
    assert [short(r["action"]) for r in rows] == ["action/county-probation-ordinance"]
    assert set(str(rows[0]["effectLabel"]).split("; ")) == {
        "Blocks or limits information sharing",
        "Increases oversight",
    }


def test_cq005_actions_at_each_government_level(atlas: Atlas) -> None:
    assert table(atlas, "cq-005", ["levelLabel", "action", "target"]) == [
        ("City", "action/city-justice-fund", "body/city-council"),
        ("City", "action/city-noncooperation-ordinance", "body/city-council"),
        ("County", "action/county-probation-ordinance", "body/county-board-of-supervisors"),
        ("State", "action/governor-pardon", "office/governor-of-california"),
        ("State", "action/governor-commutation", "office/governor-of-california"),
        ("State", "action/state-law-cdcr-noncooperation", "body/california-state-legislature"),
        ("Federal", "action/federal-universal-representation", "body/us-congress"),
        (None, "action/limit-collection-and-sharing", "body/appropriate-elected-authority"),
    ]
    assert table(atlas, "cq-005", ["action"], level="county") == [
        ("action/county-probation-ordinance",),
    ]


def test_cq006_information_flows_by_stage(atlas: Atlas) -> None:
    cols = ["stage", "flow", "agency", "recipient", "legalBasisLabel"]
    lockup = "stage/police-arrest-and-lockup"
    state = "stage/state-crime-conviction"
    federal = "stage/federal-crime-conviction"
    sheriff, police = "body/county-sheriffs-department", "body/local-police-department"
    assert table(atlas, "cq-006", cols) == [
        (
            "stage/police-stop",
            "flow/city-departments-to-immigration-enforcement",
            "body/city-departments",
            "body/immigration-enforcement",
            None,
        ),
        # issue #3: booking fingerprints and detainers, from sheriffs' jails and police lockups
        (lockup, "flow/booking-fingerprints", sheriff, "body/ice", "Secure Communities"),
        (lockup, "flow/booking-fingerprints", police, "body/ice", "Secure Communities"),
        (lockup, "flow/jail-detainers-and-notifications", sheriff, "body/ice", None),
        (lockup, "flow/jail-detainers-and-notifications", police, "body/ice", None),
        (lockup, "flow/lockup-personal-information", police, "body/immigration-enforcement", None),
        (
            state,
            "flow/cdcr-cooperation-with-ice",
            "body/cdcr",
            "body/ice",
            "California Penal Code § 5025",
        ),
        (state, "flow/cdcr-referrals", "body/cdcr", "body/ice", "California Penal Code § 5025"),
        (state, "flow/cdcr-release-dates-and-transfers", "body/cdcr", "body/ice", None),
        (
            state,
            "flow/probation-appointment-notification",
            "body/county-probation-department",
            "body/ice",
            None,
        ),
        (
            federal,
            "flow/federal-transfer-to-ice",
            None,
            "body/ice",
            "8 U.S.C. § 1231(a)(4) (removal after imprisonment)",
        ),
        (
            federal,
            "flow/federal-transfer-to-ice",
            None,
            "body/ice",
            "Institutional Hearing and Removal Program",
        ),
    ]


@pytest.mark.parametrize(
    ("agency", "expected"),
    [
        ("cdcr", [("body/california-state-legislature", "State", "passage/p17")]),
        (
            "county-probation-department",
            [("body/county-board-of-supervisors", "County", "passage/p18")],
        ),
        ("city-departments", [("body/city-council", "City", "passage/p07")]),
        ("local-police-department", [("body/appropriate-elected-authority", None, None)]),
        ("ice", []),
    ],
)
def test_cq007_who_has_authority_over_an_agency(
    atlas: Atlas, agency: str, expected: list[tuple[Any, ...]]
) -> None:
    got = table(atlas, "cq-007", ["body", "levelLabel", "passage"], agency=agency)
    assert got == expected


def test_cq008_legal_representation_and_criminal_histories(atlas: Atlas) -> None:
    cols = ["action", "target", "proceedingLabel", "excludesCriminalHistories"]
    assert table(atlas, "cq-008", cols) == [
        (
            "action/city-justice-fund",
            "body/city-council",
            "Immigration (deportation) proceedings",
            False,
        ),
        (
            "action/federal-universal-representation",
            "body/us-congress",
            "Immigration (deportation) proceedings",
            False,
        ),
    ]


def test_cq009_individualized_vs_systemic(atlas: Atlas) -> None:
    assert table(atlas, "cq-009", ["action"], scope="individualized") == [
        ("action/governor-pardon",),
        ("action/governor-commutation",),
    ]
    got = table(atlas, "cq-009", ["scopeLabel"])
    assert [r[0] for r in got].count("Systemic") == 6
    assert [r[0] for r in got].count("Individualized") == 2


def test_cq010_proceedings_without_right_to_counsel(atlas: Atlas) -> None:
    cols = ["proceeding", "typeLabel", "rightToCounsel", "passage"]
    assert table(atlas, "cq-010", cols) == [
        ("proceeding/immigration-proceedings", "Civil administrative", False, "passage/p22"),
        ("proceeding/criminal-proceedings", "Criminal", True, "passage/p22"),
    ]
    assert table(atlas, "cq-010", ["proceeding"], rightToCounsel="false") == [
        ("proceeding/immigration-proceedings",),
    ]


def test_cq011_source_passage_behind_a_node(atlas: Atlas) -> None:
    rows = atlas.query("cq-011", params={"node": "action:governor-pardon"}).rows
    assert [(short(r["passage"]), r["quotation"]) for r in rows] == [
        ("passage/p16", "Demand a gubernatorial pardon on an individualized basis."),
    ]
    assert rows[0]["documentTitle"] == "Actions for organizers"
    assert [
        short(r["passage"])
        for r in atlas.query("cq-011", params={"node": "stage:federal-crime-conviction"}).rows
    ] == ["passage/p19"]


def test_cq012_flows_no_body_can_block(atlas: Atlas) -> None:
    assert table(atlas, "cq-012", ["stage", "flow", "dataKindLabel"]) == [
        # issue #3: no local body can block booking fingerprints (FBI to DHS)
        ("stage/police-arrest-and-lockup", "flow/booking-fingerprints", "Booking fingerprints"),
        (
            "stage/federal-crime-conviction",
            "flow/federal-transfer-to-ice",
            "Transfer of the person to ICE",
        ),
    ]


@pytest.mark.slow
def test_cq013_reasoner_classifies_information_blocking_actions() -> None:
    atlas = Atlas.build(reason=True)
    legislature = "body/california-state-legislature"
    assert table(atlas, "cq-013", ["action", "flow", "body"]) == [
        # issue #3: an action that blocks a flow blocks its parts (property chain)
        (
            "action/limit-collection-and-sharing",
            "flow/jail-detainers-and-notifications",
            "body/appropriate-elected-authority",
        ),
        (
            "action/limit-collection-and-sharing",
            "flow/lockup-personal-information",
            "body/appropriate-elected-authority",
        ),
        (
            "action/city-noncooperation-ordinance",
            "flow/city-departments-to-immigration-enforcement",
            "body/city-council",
        ),
        ("action/state-law-cdcr-noncooperation", "flow/cdcr-cooperation-with-ice", legislature),
        ("action/state-law-cdcr-noncooperation", "flow/cdcr-referrals", legislature),
        (
            "action/state-law-cdcr-noncooperation",
            "flow/cdcr-release-dates-and-transfers",
            legislature,
        ),
        (
            "action/county-probation-ordinance",
            "flow/probation-appointment-notification",
            "body/county-board-of-supervisors",
        ),
    ]
