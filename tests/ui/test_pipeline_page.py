"""The pipeline page and its stage pages (AppTest)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from uitools import open_app


def open_page(**params: str) -> AppTest:
    return open_app("app_pages/pipeline.py", **params)


def shown(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [w.value for w in at.warning]
    parts += [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


def test_the_overview_has_the_figure_and_the_stage_control() -> None:
    at = open_page()
    assert not at.error
    assert at.title[0].value == "The Arrest-to-Deportation Pipeline, stage by stage"
    # drawn as raw HTML inside Markdown (st.html would strip the SVG), its stage links kept
    figures = [m.value for m in at.markdown if m.value.startswith('<div class="pa-figure"><svg')]
    assert len(figures) == 1
    assert 'role="img"' in figures[0]
    assert '<a href="./?stage=2&amp;lang=en" target="_self"' in figures[0]
    control = at.button_group(key="pipeline-stage-en-None")
    assert control.options == [
        "1. Police Stop",
        "2. Police Arrest & Local Police Department Lockup",
        "3. State Crime Conviction",
        "4. Federal Crime Conviction",
    ]
    assert [h.value for h in at.header] == []
    assert "1. Police Stop — 2 actions. Who can act: City council." in shown(at)


def test_choosing_a_stage_opens_its_page() -> None:
    at = open_page()
    at.button_group(key="pipeline-stage-en-None").set_value(1).run()
    assert not at.exception
    assert [h.value for h in at.header] == ["Stage 1: Police Stop"]
    assert at.query_params["stage"] == "1"
    page = shown(at)
    assert "**Establish a local justice fund**" in page
    assert "> At “Police Stop” Stage" in page


def test_stage_two_in_spanish_from_a_link() -> None:
    at = open_page(stage="2", lang="es")
    assert not at.error
    assert [h.value for h in at.header] == [
        "Etapa 2: Arresto policial y celda de detención de la policía local"
    ]
    assert [w.value for w in at.warning] == [
        "Ningún organismo local puede detener este flujo («Las huellas del registro de ingreso "
        "van al FBI y al DHS»), y tampoco ningún otro organismo del atlas, estatal ni federal."
    ]
    assert [s.value for s in at.subheader] == [
        "Qué pueden hacer los organizadores",
        "Información que llega a las autoridades de control migratorio en esta etapa",
        "Leyes vigentes en esta etapa",
        "Las palabras de la fuente",
    ]
    page = shown(at)
    assert "**Exigir límites a la recopilación y al intercambio de información personal**" in page
    assert "> Etapa del «Arresto policial y celda de detención de la policía local»" in page
    assert (
        "Traducción no oficial del proyecto. Original (inglés): “At “Police Arrest & Local "
        "Police Department Lockup” Stage”"
    ) in page


def test_an_unknown_stage_says_so() -> None:
    at = open_page(stage="7")
    assert [e.value for e in at.error] == ["There is no stage 7; the stages are numbered 1 to 4."]
    assert [h.value for h in at.header] == []
