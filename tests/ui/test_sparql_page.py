"""The "Ask in SPARQL" page, driven in-process with Streamlit's AppTest: an example opened from a
page link in Spanish and run, and a person's broken text shown as an error with line and column."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "ui" / "streamlit_app.py"
PAGE = "app_pages/sparql.py"
TIMEOUT = 300
STAGES_ES = [
    "Parada policial",
    "Arresto policial y celda de detención de la policía local",
    "Condena por un delito estatal",
    "Condena por un delito federal",
]


def open_page(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_example_from_a_spanish_link_runs_with_spanish_labels() -> None:
    at = open_page(query="cq-001-stages-in-order", lang="es")
    assert at.title[0].value == "Preguntar en SPARQL"
    assert at.selectbox(key="sparql_example").value == "cq-001-stages-in-order"
    editor = at.text_area(key="sparql_text")
    assert editor.label == "Consulta SPARQL"
    assert editor.value.startswith("PREFIX pa: <https://w3id.org/pipeline-atlas/ont/>\n")
    assert "ORDER BY ?order" in editor.value
    assert at.query_params["query"] == "cq-001-stages-in-order"
    assert "q" not in at.query_params
    captions = [c.value for c in at.caption]
    assert 'Las etiquetas vienen en el idioma de la página: ?lang vale "es".' in captions
    assert (
        "Cada consulta puede durar como máximo 10 segundos, usar como máximo 2,048 MB de "
        "memoria y devolver como máximo 100,000 filas."
    ) in captions
    run = at.button[0]
    assert run.label == "Ejecutar"
    run.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    table = at.dataframe[0].value
    assert list(table.columns) == ["stage", "stageLabel", "order", "next"]
    assert list(table["stageLabel"]) == STAGES_ES
    assert "4 fila(s)." in [c.value for c in at.caption]
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Descargar CSV", "Descargar JSON"]


def test_editing_the_text_puts_it_in_the_link_and_an_error_shows_line_and_column() -> None:
    at = open_page(q="SELECT (1 AS ?x) {")
    assert at.text_area(key="sparql_text").value == "SELECT (1 AS ?x) {"
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1
    assert at.error[0].value.startswith("Syntax error at line 1, column 19. The engine says: ")
    assert not at.dataframe
    # a fixed text runs, and the link follows the editor
    at.text_area(key="sparql_text").set_value("SELECT (1 AS ?x) {}").run()
    assert at.query_params["q"] == "SELECT (1 AS ?x) {}"
    at.button[0].click().run()
    assert not at.error, [e.value for e in at.error]
    assert list(at.dataframe[0].value["x"]) == ["1"]
