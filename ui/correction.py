"""The "Report a correction" box, on every node page and on the place page.

It prepares a report (the node, what is wrong, what it should say, the source that says otherwise)
as text to copy and as a JSON file to download (``pipeline_atlas.explore.correction``). Nothing is
sent or stored, and nothing about the reader is asked.
"""

from __future__ import annotations

import streamlit as st

from pipeline_atlas.explore.correction import prepare_report
from pipeline_atlas.explore.graph import node_label
from pipeline_atlas.explore.links import node_param
from pipeline_atlas.i18n import t
from ui import state


def correction_box(node_iri: str, *, context: str | None = None) -> None:
    """Draw the box for the node ``node_iri``; ``context`` says what the reader is looking at
    (for example the place plan's title), shown above the fields."""
    lang = state.language()
    label = state.cached(node_label, node_iri, lang=lang).text(lang)
    key = f"correction-{node_param(node_iri)}"
    with st.expander(t("ui.correction.title", lang)):
        st.markdown(t("ui.correction.intro", lang))
        if context:
            st.caption(t("ui.correction.context", lang, context=context))
        wrong = st.text_area(t("ui.correction.wrong", lang), key=f"{key}-wrong")
        should = st.text_area(t("ui.correction.should", lang), key=f"{key}-should")
        source = st.text_input(t("ui.correction.source", lang), key=f"{key}-source")
        st.caption(t("ui.correction.privacy", lang))
        if not wrong.strip():
            st.info(t("ui.correction.needs", lang))
            return
        report = prepare_report(node_iri, label, wrong, should, source, lang=lang)
        if not source.strip():
            st.warning(t("ui.correction.no_source", lang))
        st.markdown(t("ui.correction.prepared", lang))
        st.code(report.to_text(lang), language=None)
        st.download_button(
            t("ui.correction.download", lang),
            data=report.to_json(),
            file_name=report.file_name,
            mime="application/json",
            key=f"{key}-download",
        )
