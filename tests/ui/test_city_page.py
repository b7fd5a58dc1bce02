"""The "Your city" page, driven in-process with Streamlit's AppTest (no browser, no server)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "ui" / "streamlit_app.py"
PAGE = "app_pages/city.py"
CITY_KEY = "city"

# Building the graph (with the reasoner) on first use can take a while on a 2-core machine.
TIMEOUT = 300


def open_page(lang: str | None = None, city: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if lang is not None:
        at.session_state["lang"] = lang
    at.switch_page(PAGE)
    at.run()
    if city is not None:
        at.selectbox(key=CITY_KEY).set_value(city).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def page_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_no_city_is_chosen_at_first_and_the_page_says_what_to_do() -> None:
    at = open_page()
    assert at.title[0].value == "Your city"
    picker = at.selectbox(key=CITY_KEY)
    assert picker.value is None
    assert picker.label == "City, town or unincorporated area"
    assert len(picker.options) == 482 + 57
    assert "Los Angeles County, unincorporated areas" in picker.options
    assert "Oakland, Alameda County" in picker.options
    assert "San Francisco (city and county)" in picker.options
    assert [i.value for i in at.info] == [
        "Choose one of California's 482 cities and towns, or a county's unincorporated areas, "
        "above to see its plan."
    ]
    assert not at.header
    assert not at.get("download_button")


def test_choosing_oakland_shows_its_council_and_county_board() -> None:
    at = open_page(city="oakland")
    assert [h.value for h in at.header] == [
        "Stage 1: Police Stop",
        "Stage 2: Police Arrest & Local Police Department Lockup",
        "Stage 3: State Crime Conviction",
        "Stage 4: Federal Crime Conviction",
        "Who governs Oakland",
        "Legal representation for Oakland and Alameda County",
        "What the sources do not say",
    ]
    subheaders = [s.value for s in at.subheader]
    for part in ("Who to contact", "What the law already does", "What still gets through"):
        assert subheaders.count(part) == 4, part
    text = page_text(at)
    assert "**Oakland City Council** (city)" in text
    assert "**Alameda County Board of Supervisors** (county)" in text
    assert "Alameda County Public Defender's immigration project and ACILEP" in text
    assert "Police: Oakland Police Department" in text
    assert "**Sheriff of Alameda County** (county)" in text  # issue 7: the lockup stage
    # The note on what the sources do not say.
    assert any("shown as unknown" in i.value for i in at.info)


def test_the_plan_can_be_downloaded_as_markdown() -> None:
    at = open_page(city="oakland")
    buttons = at.get("download_button")
    assert len(buttons) == 1
    button = buttons[0].proto
    assert button.label == "Download the plan (Markdown)"
    assert button.url.endswith(".md")
    assert button.ignore_rerun  # downloading does not rerun the page


def test_spanish_shows_the_plan_in_spanish() -> None:
    at = open_page(lang="es", city="oakland")
    assert at.title[0].value == "Su ciudad"
    assert at.selectbox(key=CITY_KEY).label == "Ciudad, pueblo o área no incorporada"
    assert "Oakland, Condado de Alameda" in at.selectbox(key=CITY_KEY).options
    headers = [h.value for h in at.header]
    assert headers[0] == "Etapa 1: Parada policial"
    assert "Quién gobierna Oakland" in headers
    assert [s.value for s in at.subheader][:3] == [
        "A quién contactar",
        "Lo que la ley ya hace",
        "Lo que todavía se filtra",
    ]
    text = page_text(at)
    assert "**Concejo Municipal de Oakland** (ciudad)" in text
    assert "Junta de Supervisores del Condado de Alameda" in text
    assert at.get("download_button")[0].proto.label == "Descargar el plan (Markdown)"


def test_switching_language_keeps_the_city() -> None:
    at = open_page(city="san-francisco")
    assert "**San Francisco Board of Supervisors** (county)" in page_text(at)
    at.sidebar.radio[0].set_value("es").run()
    assert not at.exception
    assert at.selectbox(key=CITY_KEY).value == "san-francisco"
    assert "**Junta de Supervisores de San Francisco** (condado)" in page_text(at)


def test_clearing_the_city_goes_back_to_the_prompt() -> None:
    at = open_page(city="fresno")
    assert at.header
    at.selectbox(key=CITY_KEY).set_value(None).run()
    assert not at.exception
    assert not at.header
    assert at.info[0].value.startswith("Choose one of California's 482")
