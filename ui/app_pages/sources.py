"""Sources: the dataset (version, date, licence), a download of the whole graph, and every source
the atlas cites with its link (where the source names one), the facts it supports, how sure and
when last checked, with a filter box.

Everything shown comes from :mod:`pipeline_atlas.explore.sources`; words from the message
catalogue (``ui.sources.*``).
"""

from __future__ import annotations

import streamlit as st

from pipeline_atlas import AtlasError
from pipeline_atlas.explore.sources import (
    dataset_info,
    filter_sources,
    graph_download,
    source_rows,
    sources,
)
from pipeline_atlas.i18n import t
from pipeline_atlas.plan.markdown import md
from ui import state

DETAILS = 30  # sources shown in full below the table
SUPPORTS = 12  # facts listed per source

lang = state.language()
st.title(t("ui.sources.title", lang))
st.write(t("ui.sources.intro", lang))

info = state.cached(dataset_info, lang=lang)
st.header(t("ui.sources.dataset", lang))
st.markdown(f"**{md(info.title)}**")
st.write(info.description)
lines = [
    t("ui.sources.version", lang, version=info.version)
    if info.version
    else t("ui.sources.no_version", lang, release=info.release)
]
if info.modified:
    lines.append(t("ui.sources.modified", lang, date=info.modified))
if info.latest_check:
    lines.append(t("ui.sources.latest_check", lang, date=info.latest_check))
if info.license:
    lines.append(t("ui.sources.license", lang, license=info.license))
st.markdown("\n".join(f"- {line}" for line in lines))
try:
    whole_graph = state.cached(graph_download, fmt="trig")
except AtlasError as error:  # a remote store cannot be dumped from here
    st.info(t("ui.sources.no_download", lang, message=error))
else:
    st.download_button(
        t("ui.sources.download", lang),
        data=whole_graph,
        file_name="pipeline-atlas.trig",
        mime="application/trig",
        help=t("ui.sources.download_help", lang),
    )

st.header(t("ui.sources.list", lang))
entries = state.cached(sources, lang=lang)
needle = st.text_input(t("ui.sources.filter", lang), key="sources-filter")
shown = filter_sources(entries, needle)
st.caption(t("ui.sources.count", lang, shown=len(shown), total=len(entries)))
link_column = t("ui.sources.column.link", lang)
st.dataframe(
    source_rows(shown, lang=lang),
    hide_index=True,
    width="stretch",
    column_config={link_column: st.column_config.LinkColumn(link_column)},
)

st.write(t("ui.sources.details", lang, shown=min(DETAILS, len(shown))))
for entry in shown[:DETAILS]:
    title = entry.text if len(entry.text) <= 120 else entry.text[:117] + "…"
    with st.expander(title):
        if entry.document:
            st.caption(t("ui.sources.document", lang))
        st.write(entry.text)
        if entry.links:
            st.markdown(
                f"**{t('ui.sources.links', lang)}:** "
                + " · ".join(f"[{md(url)}]({url})" for url in entry.links)
            )
        else:
            st.markdown(f"*{t('ui.sources.no_link', lang)}*")
        st.markdown(
            f"**{t('ui.sources.how_sure', lang)}:** {', '.join(entry.confidence) or '—'} · "
            f"**{t('ui.sources.last_checked', lang)}:** {entry.last_checked or '—'}"
        )
        st.markdown(f"**{t('ui.sources.supports', lang, count=len(entry.supports))}**")
        facts = [
            f"- [{md(s.label)}]({state.link(state.GRAPH, node=s.node)})"
            for s in entry.supports[:SUPPORTS]
        ]
        if len(entry.supports) > SUPPORTS:
            facts.append(f"- {t('ui.sources.more', lang, count=len(entry.supports) - SUPPORTS)}")
        st.markdown("\n".join(facts))
