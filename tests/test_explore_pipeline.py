"""The pipeline's stages, stage pages and figure (pipeline_atlas.explore.pipeline), exactly."""

from __future__ import annotations

import re

import pytest

from cqtools import STAGES_EN, STAGES_ES
from pipeline_atlas import Atlas
from pipeline_atlas.errors import ParameterError
from pipeline_atlas.explore.figure import Figure
from pipeline_atlas.explore.pipeline import pipeline_figure, stage, stages


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return Atlas.open_default()


@pytest.mark.parametrize("lang, labels", [("en", STAGES_EN), ("es", STAGES_ES)])
def test_the_four_stages_in_order(atlas: Atlas, lang: str, labels: list[str]) -> None:
    views = stages(atlas, lang=lang)
    assert [(v.order, v.label) for v in views] == list(enumerate(labels, 1))
    assert all(v.lang == lang and v.definition for v in views)


def test_the_actions_at_the_police_stop(atlas: Atlas) -> None:
    view = stage(atlas, 1)
    assert [card.label for card in view.actions] == [
        "Establish a local justice fund",
        "Pass an ordinance barring city departments from cooperating or sharing information "
        "with immigration enforcement",
    ]
    fund, ordinance = view.actions
    assert fund.target_labels == ("City council",)
    assert (fund.instrument, fund.scope, fund.levels) == ("Public funding", "Systemic", ("City",))
    assert fund.effects == ("Secures legal representation",)
    assert fund.blocks == ()
    assert ordinance.instrument == "Ordinance"
    assert ordinance.blocks == (
        "City departments cooperate or share information with immigration enforcement",
    )
    assert view.bodies == ("City council",)


def test_the_actions_at_each_stage_in_spanish(atlas: Atlas) -> None:
    views = stages(atlas, lang="es")
    assert [len(v.actions) for v in views] == [2, 1, 4, 1]
    assert views[2].bodies == (
        "Gobernador o gobernadora de California",
        "Legislatura estatal de California",
        "Junta de Supervisores del Condado",
    )
    assert views[3].bodies == ("Congreso de los Estados Unidos",)


def test_booking_fingerprints_no_local_body_can_block(atlas: Atlas) -> None:
    view = stage(atlas, 2)
    flows = {flow.label: flow for flow in view.flows}
    assert set(flows) == {
        "Booking fingerprints go to the FBI and DHS",
        "Jails answer ICE detainers and notification requests",
        "Personal information collected at arrest and in the lockup is shared",
    }
    prints = flows["Booking fingerprints go to the FBI and DHS"]
    assert prints.reach == "nobody"
    assert prints.blockers == ()
    assert prints.data_kind == "Booking fingerprints"
    assert prints.legal_basis == ("Secure Communities",)
    assert set(prints.agencies) == {
        "County sheriff's department",
        "Local police department (lockup)",
    }
    assert prints.recipient == "U.S. Immigration and Customs Enforcement (ICE)"
    assert prints.statement == (
        "No local body can stop this flow (“Booking fingerprints go to the FBI and DHS”), and no "
        "other body in the atlas, state or federal, can either."
    )
    lockup = flows["Personal information collected at arrest and in the lockup is shared"]
    assert lockup.reach == "local" and lockup.statement is None
    assert [b.label for b in lockup.blockers] == [
        "The appropriate elected authority or authorities"
    ]
    assert [law.label for law in view.laws][:2] == [
        "California Values Act (SB 54)",
        "TRUST Act (AB 4)",
    ]


def test_booking_fingerprints_in_spanish(atlas: Atlas) -> None:
    view = stage(atlas, 2, lang="es")
    prints = next(f for f in view.flows if f.iri.endswith("/booking-fingerprints"))
    assert prints.statement == (
        "Ningún organismo local puede detener este flujo («Las huellas del registro de ingreso "
        "van al FBI y al DHS»), y tampoco ningún otro organismo del atlas, estatal ni federal."
    )


def test_cdcr_flows_only_the_state_can_block(atlas: Atlas) -> None:
    view = stage(atlas, 3)
    reach = {flow.label: (flow.reach, flow.statement) for flow in view.flows}
    assert reach["CDCR cooperates with ICE"] == (
        "state-or-federal",
        "No local body can stop this flow (“CDCR cooperates with ICE”); only the state or "
        "federal level can: California State Legislature.",
    )
    assert reach["County probation notifies ICE of upcoming appointments"] == ("local", None)


def test_the_source_passages_with_the_unofficial_translation(atlas: Atlas) -> None:
    english = stage(atlas, 1)
    assert english.passages[0].quotation == "At “Police Stop” Stage"
    assert [p.iri.rsplit("/", 1)[-1] for p in english.passages] == [
        "p03",
        "p04",
        "p05",
        "p06",
        "p07",
    ]
    assert all(p.translation is None for p in english.passages)
    spanish = stage(atlas, 1, lang="es")
    assert spanish.passages[0].quotation == "At “Police Stop” Stage"
    assert spanish.passages[0].translation == "Etapa de la «Parada policial»"
    starts = [p.start for p in spanish.passages]
    assert starts == sorted(starts)


def test_an_unknown_stage_names_the_range(atlas: Atlas) -> None:
    with pytest.raises(ParameterError, match="no stage 5; the stages are numbered 1 to 4"):
        stage(atlas, 5)


@pytest.mark.parametrize("lang, labels", [("en", STAGES_EN), ("es", STAGES_ES)])
def test_the_figure(atlas: Atlas, lang: str, labels: list[str]) -> None:
    figure = pipeline_figure(stages(atlas, lang=lang), lang=lang)
    assert isinstance(figure, Figure)
    svg = figure.svg
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title>" in svg
    assert 'aria-label="' in svg and 'width="100%"' in svg and "viewBox=" in svg
    boxes = re.findall(r'<rect class="stage-box" data-stage="(\d)" x="(\d+)"', svg)
    assert [int(order) for order, _ in boxes] == [1, 2, 3, 4]
    xs = [int(x) for _, x in boxes]
    assert xs == sorted(xs) and len(set(xs)) == 4
    links = re.findall(r'<a href="\./\?stage=(\d)&amp;lang=(\w\w)" target="_self"', svg)
    assert links == [(str(n), lang) for n in range(1, 5)]
    assert svg.count('marker-end="url(#pipeline-arrow)"') == 3
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    # Each stage's label is drawn inside its box (wrapped over lines) and in the text.
    for label in labels:
        assert label.split()[0] in svg
    lines = figure.text.splitlines()
    assert [line.split(" — ")[0] for line in lines[1:]] == [
        f"{n}. {label}" for n, label in enumerate(labels, 1)
    ]


def test_the_figure_in_spanish_words(atlas: Atlas) -> None:
    figure = pipeline_figure(stages(atlas, lang="es"), lang="es")
    assert figure.text.splitlines() == [
        "Las 4 etapas de la cadena, de izquierda a derecha; cada recuadro abre su etapa.",
        "1. Parada policial — 2 acciones. Quién puede actuar: Concejo Municipal.",
        "2. Arresto policial y celda de detención de la policía local — 1 acción. Quién puede "
        "actuar: La autoridad o autoridades electas correspondientes.",
        "3. Condena por un delito estatal — 4 acciones. Quién puede actuar: Gobernador o "
        "gobernadora de California; Legislatura estatal de California; Junta de Supervisores "
        "del Condado.",
        "4. Condena por un delito federal — 1 acción. Quién puede actuar: Congreso de los "
        "Estados Unidos.",
    ]
    assert "<title>La cadena del arresto a la deportación</title>" in figure.svg
    assert ">Parada policial</text>" in figure.svg
