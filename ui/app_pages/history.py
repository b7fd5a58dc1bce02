"""History and dates: the past 287(g) agreements as a table, and the facts that can change with
their dates, filtered by kind.

Everything shown comes from :mod:`pipeline_atlas.explore.history`; words from the message
catalogue (``ui.history.*``).
"""

from __future__ import annotations

import streamlit as st

from pipeline_atlas.explore.history import (
    kinds_present,
    past_287g,
    rows_287g,
    rows_time_sensitive,
    time_sensitive,
)
from pipeline_atlas.i18n import t
from pipeline_atlas.plan.markdown import md
from ui import state

lang = state.language()
st.title(t("ui.history.title", lang))
st.write(t("ui.history.intro", lang))

st.header(t("ui.history.agreements", lang))
agreements = state.cached(past_287g, lang=lang)
st.dataframe(rows_287g(agreements, lang=lang), hide_index=True, width="stretch")
st.caption(t("ui.history.agreements_note", lang))
for agreement in agreements:
    with st.expander(t("ui.history.sources_of", lang, agreement=agreement.label)):
        st.markdown(
            f"[{md(agreement.agency_label)}]({state.link(state.GRAPH, node=agreement.agency_node)})"
        )
        st.markdown("\n".join(f"- {md(source)}" for source in agreement.sources))

st.header(t("ui.history.facts", lang))
facts = state.cached(time_sensitive, lang=lang)
kinds = kinds_present(facts)
labels = dict(kinds)
kind = st.selectbox(
    t("ui.history.kind_filter", lang),
    [None, *(k for k, _ in kinds)],
    format_func=lambda k: labels[k] if k else t("ui.history.all_kinds", lang),
    key=f"history-kind-{lang}",
)
rows = rows_time_sensitive(facts, lang=lang, kind=kind)
page_column = t("ui.history.column.link", lang)
for row in rows:
    row[page_column] = state.link(state.GRAPH, node=row[page_column])
st.caption(t("ui.history.facts_count", lang, shown=len(rows), total=len(facts)))
st.dataframe(
    rows,
    hide_index=True,
    width="stretch",
    column_config={
        page_column: st.column_config.LinkColumn(page_column, display_text="→"),
    },
)
