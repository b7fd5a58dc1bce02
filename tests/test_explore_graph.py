"""explore.graph: node pages, the neighbourhood figure and its text, on the project's graph."""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator

import pytest

from pipeline_atlas import Atlas, ParameterError
from pipeline_atlas.explore import graph
from pipeline_atlas.paths import project_paths

ID = "https://w3id.org/pipeline-atlas/id/"
SB54 = ID + "instrument/california-values-act"
FUND = ID + "action/city-justice-fund"
CDCR = ID + "body/cdcr"
LEVEL_CITY = ID + "vocab/level-city"


@pytest.fixture(scope="module")
def atlas() -> Iterator[Atlas]:
    with Atlas.open_default() as opened:
        yield opened


def test_sb54_page_in_english(atlas: Atlas) -> None:
    page = graph.node_page(atlas, SB54, lang="en")
    assert page.title == graph.NodeRef(SB54, "California Values Act (SB 54)")
    assert (page.label_en, page.label_es) == (
        "California Values Act (SB 54)",
        "Ley de Valores de California (SB 54)",
    )
    assert page.kind == "instrument"
    assert [ref.label for ref in page.types] == ["Legal instrument"]
    assert page.definition is not None
    assert page.definition.startswith("Forbids state and local law-enforcement agencies")
    assert page.text_fallback is None
    assert page.confidence == graph.NodeRef(ID + "vocab/confidence-reported", "Reported")
    assert page.last_checked == "2026-12-01"
    assert page.as_of == "2025"
    assert page.files == ("graph_data/california/laws.ttl",)
    citations = [s.text for s in page.sources]
    assert citations[0] == (
        "Cal. Gov. Code §§ 7284\u20137284.12 (ch. 17.25), enacted by SB 54 (De León), 2017"
    )
    assert len(citations) == 5
    urls = [url for s in page.sources for url in s.urls]
    assert "https://www.aalrr.com/newsroom-alerts-3735" in urls
    assert (
        "http://amylhowe.com/2020/06/15/court-turns-down-governments-sanctuary-state-petition"
        in urls
    )
    assert all(not url.endswith((".", ",", ";", ")")) for url in urls)
    assert [(k.property_label, k.node.label) for k in page.outgoing] == [
        ("amends", "TRUST Act (AB 4)"),
        ("applies to", "California Department of Corrections and Rehabilitation (CDCR)"),
        ("applies to", "County probation department"),
        ("applies to", "County sheriff's department"),
        ("applies to", "Local police department (lockup)"),
        ("confidence", "Reported"),
        ("excludes body", "California Department of Corrections and Rehabilitation (CDCR)"),
        ("has government level", "State"),
        ("limits flow", "County probation notifies ICE of upcoming appointments"),
        ("limits flow", "Jails answer ICE detainers and notification requests"),
        ("limits flow", "Personal information collected at arrest and in the lockup is shared"),
    ]
    assert page.passages == ()
    assert page.more_outgoing == 0


def test_sb54_page_in_spanish(atlas: Atlas) -> None:
    page = graph.node_page(atlas, "id/instrument/california-values-act", lang="es")
    assert page.title.text("es") == "Ley de Valores de California (SB 54)"
    assert [ref.label for ref in page.types] == ["Instrumento jurídico"]
    assert page.confidence is not None and page.confidence.label == "Informado"
    assert page.definition is not None and page.definition.startswith(
        "Prohíbe a las agencias del orden público estatales y locales"
    )
    excluded = [k for k in page.outgoing if k.property.endswith("excludesBody")]
    assert [(k.property_label, k.node.label) for k in excluded] == [
        (
            "excluye al organismo",
            "Departamento de Correcciones y Rehabilitación de California (CDCR)",
        )
    ]


def test_seed_action_quotes_its_source_passages_exactly(atlas: Atlas) -> None:
    text = (project_paths().graph_data / "seed" / "actions-for-organizers.txt").read_text(
        encoding="utf-8"
    )
    page = graph.node_page(atlas, FUND, lang="es")
    assert [p.iri for p in page.passages] == [
        ID + "passage/p04",
        ID + "passage/p05",
        ID + "passage/p06",
    ]
    assert page.passages[0].quotation == (
        "City council can help establish a local “justice fund” to provide legal representation "
        "for immigrants in their city facing deportation."
    )
    assert page.passages[0].quotation == text[149:284]
    assert page.passages[1].quotation == text[285:455]
    assert page.passages[0].translation == (
        "El Concejo Municipal puede ayudar a crear un «fondo de justicia» local para dar "
        "representación legal a los inmigrantes de su ciudad que enfrentan la deportación."
    )
    assert page.passages[0].label == "Pasaje 04 (línea 7) de Acciones para organizadores"
    assert page.title.label == "Crear un fondo de justicia local"
    assert page.confidence is None  # the seed is the source document itself
    derived = [k for k in page.outgoing if k.property_label == "procede de"]
    assert len(derived) == 3


def test_links_are_limited_and_the_rest_counted(atlas: Atlas) -> None:
    page = graph.node_page(atlas, LEVEL_CITY, lang="en", neighbours=10)
    assert len(page.incoming) == 10
    assert page.more_incoming > 400  # every city has this level
    full = graph.node_page(atlas, LEVEL_CITY, lang="en", neighbours=10_000)
    assert len(full.incoming) == 10 + page.more_incoming
    assert full.more_incoming == 0


def test_unknown_node_is_a_clear_error(atlas: Atlas) -> None:
    with pytest.raises(ParameterError, match="'id/body/nobody' is not a node of the graph"):
        graph.node_page(atlas, ID + "body/nobody")
    with pytest.raises(ParameterError, match="is not a node of the graph"):
        graph.node_page(atlas, "id/body/no body")
    with pytest.raises(ParameterError, match="language 'fr'"):
        graph.node_page(atlas, SB54, lang="fr")


def test_label_only_in_the_other_language_is_marked() -> None:
    ref = graph.NodeRef(SB54, "California Values Act (SB 54)", "en")
    assert ref.text("es") == "California Values Act (SB 54) (en inglés)"
    assert graph.NodeRef(SB54, "id/x", "id").text("en") == "id/x (no label)"


def test_entry_points_start_with_the_four_stages(atlas: Atlas) -> None:
    refs = graph.entry_points(atlas, lang="es")
    assert [r.label for r in refs] == [
        "Parada policial",
        "Arresto policial y celda de detención de la policía local",
        "Condena por un delito estatal",
        "Condena por un delito federal",
        "Gobernador o gobernadora de California",
        "Servicio de Inmigración y Control de Aduanas (ICE)",
        "Ley de Valores de California (SB 54)",
        "Comunidades Seguras (Secure Communities)",
        "Concejo Municipal",
        "Junta de Supervisores del Condado",
    ]
    assert all(r.fallback is None for r in refs)


def test_neighbourhood_of_sb54(atlas: Atlas) -> None:
    page = graph.node_page(atlas, SB54, lang="en", neighbours=1000)
    linked = {k.node.iri for k in page.outgoing + page.incoming}
    nb = graph.neighbourhood(atlas, SB54, lang="en")
    assert nb.nodes[0].iri == SB54 and nb.nodes[0].is_center
    assert (nb.nodes[0].x, nb.nodes[0].y) == (0.0, 0.0)
    assert {n.iri for n in nb.nodes} == linked | {SB54}
    assert nb.hidden == 0
    assert all(SB54 in (e.source, e.target) for e in nb.edges)
    ring = [n for n in nb.nodes if not n.is_center]
    assert all(abs(n.x**2 + n.y**2 - 1) < 1e-3 for n in ring)
    assert (ring[0].x, ring[0].y) == (0.0, 1.0)
    assert nb == graph.neighbourhood(atlas, SB54, lang="en")  # the layout is fixed
    pickle.loads(pickle.dumps(nb))


def test_expanding_a_neighbour_draws_its_links(atlas: Atlas) -> None:
    before = graph.neighbourhood(atlas, SB54, lang="en")
    after = graph.neighbourhood(atlas, SB54, lang="en", expanded=(CDCR,))
    assert after.expanded == (CDCR,)
    cdcr = after.node(CDCR)
    assert cdcr is not None and cdcr.is_expanded
    assert len(after.nodes) > len(before.nodes)
    new = [n for n in after.nodes if before.node(n.iri) is None]
    assert all(abs(((n.x - cdcr.x) ** 2 + (n.y - cdcr.y) ** 2) ** 0.5 - 0.6) < 1e-3 for n in new)
    assert any(
        CDCR in (e.source, e.target) and SB54 not in (e.source, e.target) for e in after.edges
    )
    assert after.key != before.key
    # a node that is not drawn is not expanded
    assert graph.neighbourhood(atlas, SB54, expanded=(LEVEL_CITY,)).expanded == ()


def test_neighbourhood_is_capped_at_the_limit(atlas: Atlas) -> None:
    nb = graph.neighbourhood(atlas, LEVEL_CITY, lang="en", limit=25)
    assert len(nb.nodes) == 25
    page = graph.node_page(atlas, LEVEL_CITY, lang="en", neighbours=10_000)
    linked = {k.node.iri for k in page.outgoing + page.incoming}
    assert nb.hidden == len(linked) - 24
    assert len(graph.neighbourhood_text(nb)) == len(nb.edges) == 24
    with pytest.raises(ParameterError, match="limit"):
        graph.neighbourhood(atlas, LEVEL_CITY, limit=1)


def test_chart_spec_has_the_node_selection_and_the_text_says_the_same(atlas: Atlas) -> None:
    nb = graph.neighbourhood(atlas, CDCR, lang="es")
    spec = graph.neighbourhood_chart(nb, lang="es")
    json.dumps(spec)
    edges, points, labels = spec["layer"]
    assert labels["encoding"]["text"] == {"field": "short"}
    assert points["params"] == [
        {"name": "node", "select": {"type": "point", "fields": ["iri"], "on": "click"}}
    ]
    assert [row["iri"] for row in points["data"]["values"]] == [n.iri for n in nb.nodes]
    assert len(edges["data"]["values"]) == len(nb.edges)
    assert points["encoding"]["color"]["legend"]["title"] == "Tipo"
    assert {row["kind"] for row in points["data"]["values"]} >= {"Organismo"}
    assert spec["description"].startswith("Figura de nodos y enlaces del grafo alrededor de")
    lines = graph.neighbourhood_text(nb)
    assert (
        "Ley de Valores de California (SB 54) — excluye al organismo → "
        "Departamento de Correcciones y Rehabilitación de California (CDCR)"
    ) in lines


def test_a_click_expands_then_opens(atlas: Atlas) -> None:
    nb = graph.neighbourhood(atlas, SB54, lang="en")
    event = {"selection": {"node": [{"iri": CDCR}]}}
    assert graph.selected_node(event) == CDCR
    assert graph.after_click(nb, CDCR) == (SB54, (CDCR,))
    expanded = graph.neighbourhood(atlas, SB54, lang="en", expanded=(CDCR,))
    assert graph.after_click(expanded, CDCR) == (CDCR, ())
    assert graph.after_click(nb, None) is None
    assert graph.selected_node({"selection": {"node": {}}}) is None
    assert graph.expanded_param((CDCR, LEVEL_CITY)) == "id/body/cdcr,id/vocab/level-city"
    assert graph.expanded_from_param("id/body/cdcr,id/vocab/level-city") == (CDCR, LEVEL_CITY)
    with pytest.raises(ParameterError):
        graph.expanded_from_param("id/body/cdcr,<script>")
