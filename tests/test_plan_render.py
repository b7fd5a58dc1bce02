"""The place plan as the issue's done-when asks (issue 9, points 2 and 3): every action of the
source document in every plan, whom to press in Fresno and Long Beach, booking fingerprints that
no one here can stop; and the plan as HTML, PDF, CSV and through ``pipeline-atlas plan``."""

from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import Path

import pytest
import rdflib
from pypdf import PdfReader
from typer.testing import CliRunner

from pipeline_atlas import Atlas
from pipeline_atlas.cli import app
from pipeline_atlas.plan import CityPlan, city_plan, plan_file
from pipeline_atlas.plan.pdf import latin1

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/pipeline-atlas/id/"
PA = rdflib.Namespace("https://w3id.org/pipeline-atlas/ont/")
PROBATION = ID + "flow/probation-appointment-notification"
FINGERPRINTS = ID + "flow/booking-fingerprints"


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return Atlas.open_default()


@pytest.fixture(scope="module")
def plans(atlas: Atlas) -> dict[tuple[str, str], CityPlan]:
    return {
        (place, lang): city_plan(atlas, place, lang=lang)
        for place in ("fresno", "long-beach", "los-angeles-county-unincorporated")
        for lang in ("en", "es")
    }


def seed_actions() -> set[str]:
    graph = rdflib.Graph().parse(ROOT / "graph_data/seed/actions.ttl")
    return {str(s) for s in graph.subjects(rdflib.RDF.type, PA.Action)}


# Every action, at every level -----------------------------------------------------------------


def test_every_seed_action_is_in_every_plan(plans: dict[tuple[str, str], CityPlan]) -> None:
    expected = seed_actions()
    assert len(expected) == 8
    for key, plan in plans.items():
        assert {a.action for a in plan.actions} == expected, key
        assert len(plan.actions) == len(expected), key  # once each


def test_the_actions_the_city_plan_used_to_leave_out(
    plans: dict[tuple[str, str], CityPlan],
) -> None:
    plan = plans["fresno", "en"]
    by_slug = {a.slug: a for a in plan.actions}
    assert [(a.stage_order, a.slug, a.level) for a in plan.actions] == [
        (1, "city-justice-fund", "city"),
        (1, "city-noncooperation-ordinance", "city"),
        (2, "limit-collection-and-sharing", None),
        (3, "governor-commutation", "state"),
        (3, "governor-pardon", "state"),
        (3, "state-law-cdcr-noncooperation", "state"),
        (3, "county-probation-ordinance", "county"),
        (4, "federal-universal-representation", "federal"),
    ]
    assert by_slug["city-justice-fund"].press_labels == ("Fresno City Council",)
    assert by_slug["governor-pardon"].press_labels == ("Governor of California",)
    assert by_slug["governor-commutation"].legal_basis == (
        "California Constitution, article V, section 8",
    )
    assert by_slug["state-law-cdcr-noncooperation"].press_labels == (
        "California State Legislature",
    )
    assert by_slug["federal-universal-representation"].press_labels == ("United States Congress",)
    assert by_slug["limit-collection-and-sharing"].press_labels == (
        "Fresno City Council",
        "Sheriff of Fresno County",
    )
    assert [b.label for b in plan.bodies][-3:] == [
        "California State Legislature",
        "Governor of California",
        "United States Congress",
    ]
    text = plan.to_markdown()
    for label in (
        "Establish a local justice fund",
        "Demand a gubernatorial pardon",
        "Demand that the governor commute sentences",
        "Advance publicly funded universal representation at the federal level",
    ):
        assert f"- **{label}**" in text


# Done when: Fresno, Long Beach, booking fingerprints -------------------------------------------


@pytest.mark.parametrize(
    ("lang", "board", "flow", "status", "law"),
    [
        (
            "en",
            "Fresno County Board of Supervisors",
            "County probation notifies ICE of upcoming appointments",
            "blockable here",
            "California Values Act (SB 54)",
        ),
        (
            "es",
            "Junta de Supervisores del Condado de Fresno",
            "El Departamento de Libertad Condicional del Condado avisa a ICE de las próximas citas",
            "se puede bloquear aquí",
            "Ley de Valores de California (SB 54)",
        ),
    ],
)
def test_fresno_county_board_can_act_on_probation_notifications(
    plans: dict[tuple[str, str], CityPlan],
    lang: str,
    board: str,
    flow: str,
    status: str,
    law: str,
) -> None:
    plan = plans["fresno", lang]
    action = next(a for a in plan.actions if a.slug == "county-probation-ordinance")
    assert action.press_labels == (board,)
    assert action.level == "county"
    assert action.blocks == (PROBATION,)
    probation = plan.flow(PROBATION)
    assert probation is not None
    assert (probation.label, probation.marker, probation.laws) == (flow, "here", (law,))
    text = plan.to_markdown()
    press = "A quién presionar" if lang == "es" else "Whom to press"
    county = "condado" if lang == "es" else "county"
    assert f"    - {press}: **{board}** ({county})" in text
    blocks = "Bloquearía o limitaría" if lang == "es" else "Would block or limit"
    assert f"    - {blocks}: {flow}: {status}" in text
    in_force = "Leyes ya vigentes sobre ello" if lang == "es" else "Laws already in force on it"
    sure = "Informado, última verificación" if lang == "es" else "Reported, last checked"
    assert f"        - {in_force}: {law} ({sure}{':' if lang == 'es' else ''} 2026-12-01)" in text


@pytest.mark.parametrize(
    ("lang", "council", "congress", "fund", "excludes", "yes", "no"),
    [
        (
            "en",
            "Long Beach City Council",
            "United States Congress",
            "Long Beach Justice Fund",
            "Excludes people with criminal records",
            "yes",
            "no",
        ),
        (
            "es",
            "Concejo Municipal de Long Beach",
            "Congreso de los Estados Unidos",
            "Fondo de Justicia de Long Beach",
            "Excluye a personas con antecedentes penales",
            "sí",
            "no",
        ),
    ],
)
def test_long_beach_who_could_fund_lawyers_and_the_programs(
    plans: dict[tuple[str, str], CityPlan],
    lang: str,
    council: str,
    congress: str,
    fund: str,
    excludes: str,
    yes: str,
    no: str,
) -> None:
    plan = plans["long-beach", lang]
    assert [(a.slug, a.press_labels) for a in plan.representation_actions] == [
        ("city-justice-fund", (council,)),
        ("federal-universal-representation", (congress,)),
    ]
    programs = {p.label: p.excludes_records for p in plan.programs}
    assert programs[fund] is False
    assert list(programs.values()) == [False, True, None]
    text = plan.to_markdown()
    assert f"- **{council}** ({'ciudad' if lang == 'es' else 'city'}): " in text
    assert f"- **{fund}** (Long Beach)" in text
    assert f"    - {excludes}: {no}" in text
    assert f"    - {excludes}: {yes}" in text  # the L.A. Justice Fund did


@pytest.mark.parametrize("place", ["fresno", "long-beach", "los-angeles-county-unincorporated"])
@pytest.mark.parametrize(
    ("lang", "words"), [("en", "blockable by no one"), ("es", "nadie lo puede bloquear")]
)
def test_no_local_body_can_stop_booking_fingerprints(
    plans: dict[tuple[str, str], CityPlan], place: str, lang: str, words: str
) -> None:
    plan = plans[place, lang]
    fingerprints = plan.flow(FINGERPRINTS)
    assert fingerprints is not None
    assert fingerprints.marker == "nobody"
    assert all(b.status == "none" for b in fingerprints.blockers)
    assert not any(FINGERPRINTS in a.blocks for a in plan.actions)
    status = "Situación" if lang == "es" else "Status"
    lines = plan.to_markdown().splitlines()
    at = lines.index(f"- **{fingerprints.label}**")
    assert lines[at + 1] == f"    - {status}: {words}"


def test_unincorporated_areas_press_the_board_of_supervisors(
    plans: dict[tuple[str, str], CityPlan],
) -> None:
    plan = plans["los-angeles-county-unincorporated", "en"]
    by_slug = {a.slug: a for a in plan.actions}
    board = ("Los Angeles County Board of Supervisors",)
    assert by_slug["city-justice-fund"].press_labels == board
    assert by_slug["city-noncooperation-ordinance"].press_labels == board
    assert by_slug["county-probation-ordinance"].press_labels == board


# HTML ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es"])
def test_html_is_self_contained_and_prints_with_page_breaks(
    plans: dict[tuple[str, str], CityPlan], lang: str
) -> None:
    plan = plans["fresno", lang]
    page = plan.to_html()
    assert page.startswith("<!DOCTYPE html>\n")
    assert f'<html lang="{lang}">' in page
    assert "<script" not in page.lower()
    assert not re.search(r"<link\b", page, re.I)
    assert not re.search(r"\bsrc\s*=", page, re.I)
    assert "@import" not in page and "url(" not in page
    assert "@media print" in page
    assert "break-before: page" in page and "page-break-before: always" in page
    assert "sidebar" not in page.lower()
    assert page.count('<section class="stage">') == len(plan.stages) == 4
    assert '<a href="https://caimmigrant.org/what-we-do/policy/actions-for-organizers/">' in page
    # Headings in order: one h1, then h2s, an h3 only under an h2.
    levels = [int(n) for n in re.findall(r"<h([1-6])", page)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    board = (
        "Junta de Supervisores del Condado de Fresno"
        if lang == "es"
        else ("Fresno County Board of Supervisors")
    )
    assert f"<strong>{board}</strong>" in page


# PDF -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        (
            "en",
            [
                "Fresno, Fresno County: a plan for organizers",
                "Whom to press: Fresno County Board of Supervisors (county)",
                "County probation notifies ICE of upcoming appointments: blockable here",
                "Status: blockable by no one",
            ],
        ),
        (
            "es",
            [
                "Fresno, Condado de Fresno: un plan para organizadores",
                "A quién presionar: Junta de Supervisores del Condado de Fresno (condado)",
                "Situación: nadie lo puede bloquear",
                "Crear un fondo de justicia local",
            ],
        ),
    ],
)
def test_pdf_holds_the_plan_with_a_page_per_stage(
    plans: dict[tuple[str, str], CityPlan], lang: str, texts: list[str]
) -> None:
    plan = plans["fresno", lang]
    data = plan.to_pdf()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > len(plan.stages)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    for expected in texts:
        assert expected in text, expected
    # Each stage starts a page.
    starts = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    for stage in plan.stages:
        heading = ("Etapa" if lang == "es" else "Stage") + f" {stage.order}: "
        assert any(s.startswith(heading) for s in starts), heading
    assert b"https://caimmigrant.org/what-we-do/policy/actions-for-organizers/" in data  # links


def test_latin1_keeps_spanish_and_maps_typography() -> None:
    assert latin1("“año” — ¿sí?… «ñ»") == '"año" - ¿sí?... «ñ»'
    assert latin1("\u2713 ok, \ufb01n") == "? ok, fin"


# CSV -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "header", "status"),
    [
        (
            "en",
            [
                "stage", "action", "level", "whom to press", "instrument", "information flow",
                "what it would block or limit", "laws in force", "what still gets through",
                "status", "source",
            ],
            "blockable here",
        ),
        (
            "es",
            [
                "etapa", "acción", "nivel", "a quién presionar", "instrumento",
                "flujo de información", "lo que bloquearía o limitaría", "leyes vigentes",
                "lo que todavía se filtra", "situación", "fuente",
            ],
            "se puede bloquear aquí",
        ),
    ],
)  # fmt: skip
def test_csv_one_row_per_action_and_flow(
    plans: dict[tuple[str, str], CityPlan], lang: str, header: list[str], status: str
) -> None:
    plan = plans["fresno", lang]
    rows = list(csv.reader(io.StringIO(plan.to_csv())))
    assert rows[0] == header
    body = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    # 8 actions: 4 block no flow (one row each), the others 1 + 2 + 3 + 1 flows; then the two
    # flows no action addresses (booking fingerprints, federal transfer).
    assert len(body) == 4 + 1 + 2 + 3 + 1 + 2
    probation = [r for r in body if r[header[5]] == plan.flow(PROBATION).label]  # type: ignore[union-attr]
    assert len(probation) == 1
    row = probation[0]
    board = (
        "Junta de Supervisores del Condado de Fresno"
        if lang == "es"
        else ("Fresno County Board of Supervisors")
    )
    assert (row[header[3]], row[header[9]]) == (board, status)
    assert row[header[7]] in (
        "California Values Act (SB 54)",
        "Ley de Valores de California (SB 54)",
    )
    assert row[header[10]] == "https://caimmigrant.org/what-we-do/policy/actions-for-organizers/"
    fingerprints = [r for r in body if r[header[5]] == plan.flow(FINGERPRINTS).label]  # type: ignore[union-attr]
    assert [(r[header[1]], r[header[9]]) for r in fingerprints] == [
        ("", "nadie lo puede bloquear" if lang == "es" else "blockable by no one")
    ]


def test_plan_file_gives_each_format(atlas: Atlas) -> None:
    assert (
        plan_file(atlas, "fresno", "md", lang="es")
        .decode()
        .startswith("# Fresno, Condado de Fresno: un plan para organizadores\n")
    )
    assert plan_file(atlas, "fresno", "pdf").startswith(b"%PDF-")


# CLI -------------------------------------------------------------------------------------------


def test_cli_plan_markdown_in_spanish() -> None:
    result = CliRunner().invoke(app, ["--lang", "es", "plan", "fresno"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Fresno, Condado de Fresno: un plan para organizadores\n")
    assert "    - A quién presionar: **Junta de Supervisores del Condado de Fresno** (condado)" in (
        result.stdout
    )


def test_cli_plan_pdf_html_csv_to_files(tmp_path: Path) -> None:
    runner = CliRunner()
    for fmt in ("pdf", "html", "csv"):
        out = tmp_path / f"plan.{fmt}"
        result = runner.invoke(app, ["plan", "long-beach", "--format", fmt, "--output", str(out)])
        assert result.exit_code == 0, result.output
        assert out.is_file()
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF-")
    assert '<html lang="en">' in (tmp_path / "plan.html").read_text(encoding="utf-8")
    assert (tmp_path / "plan.csv").read_text(encoding="utf-8").startswith("stage,action,level,")


def test_cli_unknown_place_is_exit_2_with_close_matches() -> None:
    result = CliRunner().invoke(app, ["plan", "fresnoo"])
    assert result.exit_code == 2
    assert "error: no city or town 'fresnoo' in the atlas; did you mean fresno?" in result.stderr
    assert "`pipeline-atlas query places`" in result.stderr


def test_cli_pdf_needs_a_file() -> None:
    result = CliRunner().invoke(app, ["plan", "fresno", "--format", "pdf"])
    assert result.exit_code == 2
    assert "error: a PDF goes to a file: add --output FILE" in result.stderr
