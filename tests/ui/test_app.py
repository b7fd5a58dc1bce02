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


def stage_control(at: AppTest) -> list[str]:
    """The options of the pipeline page's stage control (one per stage, in order)."""
    controls = [b for b in at.get("button_group") if str(b.key).startswith("pipeline-stage-")]
    assert len(controls) == 1
    return list(controls[0].options)


def test_pipeline_page_shows_the_stages_in_order() -> None:
    at = run_app()
    options = stage_control(at)
    assert len(options) == len(STAGES)
    for n, (option, stage) in enumerate(zip(options, STAGES, strict=True), 1):
        assert option.startswith(f"{n}. {stage}"), options


def test_every_stage_page_has_its_four_sections() -> None:
    at = run_app()
    for n in range(1, len(STAGES) + 1):
        at.query_params["stage"] = str(n)
        at.run()
        assert not at.exception
        assert [h.value for h in at.header] == [f"Stage {n}: " + stage_control(at)[n - 1][3:]]
        assert [s.value for s in at.subheader] == [
            "What organizers can do",
            "Information that flows to immigration enforcement at this stage",
            "Laws in force at this stage",
            "The source's own words",
        ]


def test_police_stop_lists_an_action_of_the_city_council() -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["stage"] = "1"
    at.run()
    assert not at.exception
    page = "\n".join(m.value for m in at.markdown)
    assert "- **Whom to press:** City council" in page


def test_the_top_of_every_page_offers_english_and_spanish() -> None:
    """Not in the sidebar, which starts closed on a phone (issue 9, point 11)."""
    at = run_app()
    switch = at.button_group(key="lang")
    assert list(switch.options) == ["English", "Español"]
    assert switch.value == "en"
    assert at.query_params["lang"] == ["en"] or at.query_params["lang"] == "en"


def test_spanish_shows_the_same_stages_with_spanish_chrome() -> None:
    english = run_app()
    spanish = run_app("es")
    assert len(stage_control(spanish)) == len(stage_control(english))
    assert spanish.title[0].value.startswith("La cadena")
    assert stage_control(spanish)[0] == "1. Parada policial"


def test_switching_language_reruns_the_pipeline_page_in_spanish() -> None:
    at = run_app()
    at.button_group(key="lang").set_value("es").run()
    assert not at.exception
    assert at.title[0].value.startswith("La cadena")
