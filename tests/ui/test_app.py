"""The explorer, driven in-process with Streamlit's AppTest (no browser, no server)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "ui" / "streamlit_app.py"

# The four stages of the source document, in its order. The fourth is headed "The Individual is
# Convicted of a Federal Crime, either by going to trial or as part of their plea agreement" in the
# source and may carry a shorter label in the graph, so it is matched by "Federal Crime".
STAGES = [
    "Police Stop",
    "Police Arrest & Local Police Department Lockup",
    "State Crime Conviction",
    "Federal Crime",
]

# Building the graph (with the reasoner) on first use can take a while on a 2-core machine.
TIMEOUT = 300


def run_app(lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if lang is not None:
        at.session_state["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def stage_positions(headers: list[str], stages: list[str]) -> list[int]:
    positions = []
    for stage in stages:
        found = [i for i, header in enumerate(headers) if stage in header]
        assert found, f"no heading names the stage {stage!r}; headings: {headers}"
        positions.append(found[0])
    return positions


def test_pipeline_page_shows_the_stages_in_order() -> None:
    at = run_app()
    headers = [h.value for h in at.header]
    positions = stage_positions(headers, STAGES)
    assert positions == sorted(positions), headers
    assert len(headers) >= len(STAGES)


def test_every_stage_has_the_two_sections() -> None:
    at = run_app()
    subheaders = [s.value for s in at.subheader]
    stage_count = len(at.header)
    assert subheaders.count("What organizers can do") == stage_count
    assert subheaders.count("Who can block information sharing") == stage_count


def test_police_stop_lists_an_action_of_the_city_council() -> None:
    at = run_app()
    page = "\n".join(m.value for m in at.markdown).lower()
    assert "city council" in page


def test_sidebar_offers_english_and_spanish() -> None:
    at = run_app()
    radio = at.sidebar.radio[0]
    assert list(radio.options) == ["English", "Español"]
    assert radio.value == "en"


def test_spanish_shows_the_same_stages_with_spanish_chrome() -> None:
    english = run_app()
    spanish = run_app("es")
    assert len(spanish.header) == len(english.header)
    assert spanish.title[0].value.startswith("La cadena")
    assert all(h.value.startswith("Etapa ") for h in spanish.header)
    assert "parada policial" in spanish.header[0].value.lower()


def test_switching_language_in_the_sidebar_reruns_in_spanish() -> None:
    at = run_app()
    at.sidebar.radio[0].set_value("es").run()
    assert not at.exception
    assert at.header[0].value.startswith("Etapa 1")
