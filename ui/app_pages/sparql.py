"""Ask in SPARQL: the catalogue's examples, an editor, the answer as table, chart and map, files.

The page link carries the query: ``?query=<catalogue id>`` for an example as it stands,
``?q=<text>`` for a person's own text (both when an example was edited). A query opened from a
link runs at once. Every query runs in the engine's sandboxed worker
(``pipeline_atlas.explore.results.run_user_query``), never in this process.
"""

from __future__ import annotations

import streamlit as st

from pipeline_atlas.explore import results
from pipeline_atlas.i18n import t
from ui import state

lang = state.language()

EXAMPLE_KEY = "sparql_example"
TEXT_KEY = "sparql_text"
LINK_KEY = "sparql_link"
RUN_KEY = "sparql_run"

examples: list[results.Example] = state.cached(results.catalogue_examples, lang=lang)
by_id = {e.id: e for e in examples}

# Start from the link: on first opening, or when the link was changed from outside the page.
link = (state.param("query"), state.param("q"))
if TEXT_KEY not in st.session_state or st.session_state.get(LINK_KEY) != link:
    chosen = by_id.get(link[0] or "")
    st.session_state[EXAMPLE_KEY] = chosen.id if chosen else None
    st.session_state[TEXT_KEY] = link[1] or (chosen.text if chosen else "")
    st.session_state[RUN_KEY] = (
        (st.session_state[TEXT_KEY], chosen.id if chosen else None)
        if st.session_state[TEXT_KEY].strip()
        else None
    )


def _example_chosen() -> None:
    example = by_id.get(st.session_state[EXAMPLE_KEY] or "")
    st.session_state[TEXT_KEY] = example.text if example else ""


st.title(t("ui.sparql.title", lang))
st.write(t("ui.sparql.intro", lang))

st.selectbox(
    t("ui.sparql.example", lang),
    options=[None, *by_id],
    format_func=lambda i: by_id[i].label if i else t("ui.sparql.own_query", lang),
    key=EXAMPLE_KEY,
    on_change=_example_chosen,
)
example = by_id.get(st.session_state[EXAMPLE_KEY] or "")
if example is not None and example.question:
    st.caption(example.question)

# A monospace editor (Streamlit gives a keyed element the class st-key-<key>).
st.html(f"<style>.st-key-{TEXT_KEY} textarea {{font-family: monospace;}}</style>")
text: str = st.text_area(t("ui.sparql.editor", lang), key=TEXT_KEY, height=320)

values: dict[str, str] = {}
if example is not None:
    shown = [p for p in example.params if p.name != "lang"]
    if shown:
        with st.expander(t("ui.sparql.params", lang), expanded=True):
            for p in shown:
                values[p.name] = st.text_input(
                    p.name,
                    value=p.default,
                    placeholder=p.example,
                    help=p.description,
                    key=f"sparql_param_{example.id}_{p.name}",
                )
    if any(p.name == "lang" for p in example.params):
        st.caption(t("ui.sparql.lang_bound", lang, lang=lang))

# Keep the link in step with the editor.
as_example = example is not None and text == example.text
state.set_param("query", example.id if example is not None else None)
state.set_param("q", None if as_example or not text.strip() else text)
st.session_state[LINK_KEY] = (state.param("query"), state.param("q"))

st.caption(state.cached(results.limits_text, lang=lang))
if st.button(t("ui.sparql.run", lang), type="primary"):
    st.session_state[RUN_KEY] = (text, example.id if example is not None else None)

run = st.session_state.get(RUN_KEY)
if run is not None and run[0].strip():
    ran_text, ran_example = run
    params = results.params_for(by_id.get(ran_example or ""), values)
    try:
        view: results.ResultView = state.cached(
            results.run_user_query, ran_text, lang=lang, example=ran_example, params=params
        )
    except results.QueryProblem as problem:
        st.error(problem.message)
    else:
        st.header(t("ui.sparql.result", lang))
        if len(view):
            st.dataframe(
                {c: [row[i] for row in view.rows] for i, c in enumerate(view.columns)},
                hide_index=True,
            )
            st.caption(t("ui.sparql.rows", lang, count=len(view)))
        else:
            st.info(t("ui.sparql.empty", lang))
        spec = view.chart_spec(lang)
        if spec is not None:
            st.subheader(t("ui.sparql.chart", lang))
            st.vega_lite_chart(spec, width="stretch")
            st.caption(view.chart_text(lang))
        figure = view.map_figure(lang)
        if figure is not None:
            st.subheader(t("ui.sparql.map", lang))
            st.markdown(figure.html, unsafe_allow_html=True)
            st.caption(figure.text)
        csv_column, json_column = st.columns(2)
        csv_column.download_button(
            t("ui.sparql.download_csv", lang),
            data=view.to_csv(),
            file_name="result.csv",
            mime="text/csv",
            on_click="ignore",
        )
        json_column.download_button(
            t("ui.sparql.download_json", lang),
            data=view.to_json(),
            file_name="result.json",
            mime="application/sparql-results+json",
            on_click="ignore",
        )
