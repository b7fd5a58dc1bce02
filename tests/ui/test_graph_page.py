"""The "Explore the graph" page, driven in-process with Streamlit's AppTest: a node's page from a
page link (?node=…&lang=es), the neighbourhood figure, the correction box, and bad links."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "ui" / "streamlit_app.py"
PAGE = "app_pages/graph.py"
TIMEOUT = 300
SB54 = "https://w3id.org/pipeline-atlas/id/instrument/california-values-act"
BOX = "correction-id/instrument/california-values-act"


def open_page(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_node_page_in_spanish_from_a_link_and_its_correction_box() -> None:
    at = open_page(node="id/instrument/california-values-act", lang="es")
    assert not at.error
    assert [t.value for t in at.title] == ["Ley de Valores de California (SB 54)"]
    assert at.caption[0].value == (
        "Inglés: California Values Act (SB 54) · Español: Ley de Valores de California (SB 54)"
    )
    text = markdown(at)
    assert "**Qué es:** [Instrumento jurídico](graph?node=ont/LegalInstrument&lang=es)" in text
    assert (
        "Qué tan seguros estamos: [Informado](graph?node=id/vocab/confidence-reported&lang=es)"
    ) in text
    assert "Última verificación: 2026-12-01" in text
    assert any("<https://www.aalrr.com/newsroom-alerts-3735>" in line for line in text)
    assert (
        "- excluye al organismo: [Departamento de Correcciones y Rehabilitación de California "
        "(CDCR)](graph?node=id/body/cdcr&lang=es)"
    ) in text
    assert [s.value for s in at.header] == [
        "Notas",
        "Fuentes",
        "Enlaces desde este nodo",
        "Enlaces hacia este nodo",
        "Alrededor de este nodo",
    ]
    chart = at.get("vega_lite_chart")
    assert len(chart) == 1
    spec = json.loads(chart[0].proto.spec)
    assert spec["layer"][1]["params"][0]["name"] == "node"
    assert spec["description"] == (
        "Figura de nodos y enlaces del grafo alrededor de Ley de Valores de California (SB 54): "
        "cada punto es un nodo y cada línea un enlace."
    )
    assert [e.label for e in at.expander] == ["La figura en palabras", "Informar de una corrección"]

    at.text_area(key=f"{BOX}-wrong").input("La SB 554 sigue pendiente.").run()
    at.text_area(key=f"{BOX}-should").input("Quitar la nota sobre la SB 554.").run()
    at.text_input(key=f"{BOX}-source").input("https://example.org/sb-554").run()
    assert not at.exception
    assert len(at.code) == 1
    report = at.code[0].value
    assert SB54 in report
    assert "Qué está mal: La SB 554 sigue pendiente." in report.splitlines()
    assert "Fuente que dice otra cosa: https://example.org/sb-554" in report.splitlines()
    assert "Nodo: Ley de Valores de California (SB 54)" in report.splitlines()
    download = at.get("download_button")
    assert len(download) == 1


def test_start_page_in_english_lists_where_to_begin() -> None:
    at = open_page()
    assert [t.value for t in at.title] == ["Explore the graph"]
    assert [s.value for s in at.header] == ["Start from"]
    assert markdown(at)[1:6] == [
        "- [Police Stop](graph?node=id/stage/police-stop&lang=en)",
        "- [Police Arrest & Local Police Department Lockup]"
        "(graph?node=id/stage/police-arrest-and-lockup&lang=en)",
        "- [State Crime Conviction](graph?node=id/stage/state-crime-conviction&lang=en)",
        "- [Federal Crime Conviction](graph?node=id/stage/federal-crime-conviction&lang=en)",
        "- [Governor of California](graph?node=id/office/governor-of-california&lang=en)",
    ]


def test_bad_node_links_give_a_clear_error() -> None:
    at = open_page(node="id/x y")
    assert [e.value for e in at.error] == [
        "“id/x y” is not a node of the graph: a node is written as id/KIND/NAME "
        "(for example id/body/ice) or as a full web address."
    ]
    at = open_page(node="id/body/nobody", lang="es")
    assert [e.value for e in at.error] == [
        "«id/body/nobody» no es un nodo del grafo: ningún archivo fuente dice nada de él."
    ]
    assert [s.value for s in at.header] == ["Empezar por"]


def test_expanded_nodes_come_from_the_link() -> None:
    at = open_page(node="id/instrument/california-values-act", expand="id/body/cdcr")
    assert not at.error
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    roles = {row["iri"]: row["role"] for row in spec["layer"][1]["data"]["values"]}
    assert roles["https://w3id.org/pipeline-atlas/id/body/cdcr"] == "expanded"
    assert roles[SB54] == "centre"
    assert [b.label for b in at.button] == ["Draw only this node's links again"]
