"""The "Your place" page, driven in-process with Streamlit's AppTest (no browser, no server):
opened from a page link (``?place=fresno&lang=es``), from the picker, in English and Spanish."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "ui" / "streamlit_app.py"
PAGE = "app_pages/place.py"

# Building the graph (with the reasoner) on first use can take a while on a 2-core machine.
TIMEOUT = 300


def open_page(*, place: str | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if place is not None:
        at.query_params["place"] = place
    if lang is not None:
        at.query_params["lang"] = lang
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


GLOSSARY_LINK = re.compile(r"\[([^\]]+)\]\(glossary\?term=[^)]+\)")


def page_text(at: AppTest) -> str:
    """The page's Markdown with glossary links (``[SB 54](glossary?term=sb-54&lang=es)``) read as
    their text."""
    return GLOSSARY_LINK.sub(r"\1", "\n".join(m.value for m in at.markdown))


def test_glossary_terms_in_the_plan_are_linked() -> None:
    at = open_page(place="fresno", lang="es")
    text = "\n".join(m.value for m in at.markdown)
    assert "](glossary?term=justice-fund&lang=es)" in text


def test_a_link_opens_the_spanish_plan_for_fresno() -> None:
    at = open_page(place="fresno", lang="es")
    assert at.title[0].value == "Su lugar"
    picker = at.selectbox[0]
    assert picker.label == "Ciudad, pueblo o área no incorporada"
    assert picker.value == "fresno"
    headers = [h.value for h in at.header]
    assert headers == [
        "Fresno, Condado de Fresno: un plan para organizadores",
        "Etapa 1: Parada policial",
        "Etapa 2: Arresto policial y celda de detención de la policía local",
        "Etapa 3: Condena por un delito estatal",
        "Etapa 4: Condena por un delito federal",
        "Quién gobierna Fresno",
        "Representación legal para Fresno y el Condado de Fresno",
        "Lo que las fuentes no dicen",
    ]
    text = page_text(at)
    # Done when: the county board can act on probation's notifications to ICE, with the law.
    assert "- **Trabajar con la Junta de Supervisores del Condado sobre la cooperación" in text
    assert (
        "    - A quién presionar: **Junta de Supervisores del Condado de Fresno** (condado)" in text
    )
    assert (
        "    - Bloquearía o limitaría: El Departamento de Libertad Condicional del Condado avisa "
        "a ICE de las próximas citas: se puede bloquear aquí" in text
    )
    assert (
        "        - Leyes ya vigentes sobre ello: Ley de Valores de California (SB 54) "
        "(Informado, última verificación: 2026-12-01)" in text
    )
    # Done when: no local body can stop booking fingerprints from reaching ICE.
    assert (
        "- \u26d4 Las huellas del registro de ingreso van al FBI y al DHS: "
        "**nadie lo puede bloquear**" in text
    )
    # The justice fund, the Governor, Congress.
    assert "- **Crear un fondo de justicia local**" in text
    assert "**Gobernador o gobernadora de California** (estatal)" in text
    assert "**Congreso de los Estados Unidos** (federal)" in text
    # The county map and its text equivalent.
    assert [s.value for s in at.subheader][:2] == ["Mapa: Condado de Fresno", "Descargar el plan"]
    assert at.caption[0].value.startswith(
        "Fresno está en el Condado de Fresno: el condado en azul oscuro en un mapa de los 58 "
    )
    # The map, drawn here as SVG (no tiles, no scripts), with its title for screen readers.
    maps = [m.value for m in at.markdown if m.value.startswith('<div class="pa-figure"><svg')]
    assert len(maps) == 1
    assert 'role="img"' in maps[0]
    assert "http" not in maps[0].replace("http://www.w3.org/2000/svg", "")
    assert "Who to contact" not in text


def test_the_four_downloads_and_the_correction_box() -> None:
    at = open_page(place="fresno", lang="es")
    assert [e.label for e in at.expander][-1] == "Informar de una corrección"
    buttons = [b.proto for b in at.get("download_button")]
    assert [b.label for b in buttons] == [
        "Página para imprimir (HTML)",
        "PDF",
        "Texto (Markdown)",
        "Tabla (CSV)",
    ]
    assert all(b.ignore_rerun for b in buttons)  # downloading does not rerun the page
    # each file is made when its button is clicked (the browser test downloads the PDF)
    assert all(b.deferred_file_id and not b.url for b in buttons)


def test_english_long_beach_who_could_fund_lawyers() -> None:
    at = open_page(place="long-beach")
    text = page_text(at)
    assert "**Who could fund lawyers here**" in text
    assert "- **Long Beach City Council** (city): Establish a local justice fund" in text
    assert (
        "- **United States Congress** (federal): Advance publicly funded universal "
        "representation at the federal level" in text
    )
    assert "- **Long Beach Justice Fund** (Long Beach)" in text
    assert "    - Excludes people with criminal records: no" in text
    assert "    - Excludes people with criminal records: yes" in text  # the L.A. Justice Fund


def test_no_place_at_first_then_the_picker_sets_the_link() -> None:
    at = open_page()
    assert at.title[0].value == "Your place"
    picker = at.selectbox[0]
    assert picker.value is None
    assert len(picker.options) == 482 + 57
    assert [i.value for i in at.info] == [
        "Choose one of California's 482 cities and towns, or a county's unincorporated areas, "
        "above to see its plan."
    ]
    assert not at.get("download_button")
    picker.set_value("fresno").run()
    assert not at.exception
    assert at.query_params["place"] == "fresno"  # the choice is in the link
    assert at.header[0].value == "Fresno, Fresno County: a plan for organizers"
    assert "- \u26d4 Booking fingerprints go to the FBI and DHS: **blockable by no one**" in (
        page_text(at)
    )


def test_an_unknown_place_in_the_link_says_so() -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["place"] = "gotham"
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["The atlas has no place “gotham”."]
