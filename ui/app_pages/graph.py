"""Explore the graph: a node's own page, or where to start.

Page link: ``graph?node=id/instrument/california-values-act&lang=es`` opens the node's page;
``&expand=id/body/cdcr,id/flow/…`` (short ids separated by commas) keeps the nodes expanded in the
figure, so the same view opens for anyone. Without ``node`` the page lists where to start.
"""

from __future__ import annotations

import streamlit as st

from pipeline_atlas.errors import ParameterError
from pipeline_atlas.explore import graph
from pipeline_atlas.explore.links import node_iri, node_param
from pipeline_atlas.i18n import t
from pipeline_atlas.plan.markdown import md
from ui import state
from ui.correction import correction_box

lang = state.language()
asked = state.param("node")


def node_link(ref: graph.NodeRef) -> str:
    text = ref.text(lang).replace("[", "\\[").replace("]", "\\]")
    return f"[{text}]({state.link(state.GRAPH, node=ref.param)})"


def start() -> None:
    st.header(t("ui.graph.start", lang))
    for ref in state.cached(graph.entry_points, lang=lang):
        st.markdown(f"- {node_link(ref)}")


if asked is None:
    st.title(t("ui.nav.graph", lang))
    st.markdown(t("ui.graph.intro", lang))
    start()
    st.stop()

try:
    iri = node_iri(asked)
except ParameterError:
    st.title(t("ui.nav.graph", lang))
    st.error(t("ui.graph.malformed_node", lang, node=asked))
    start()
    st.stop()
try:
    page: graph.NodePage = state.cached(graph.node_page, iri, lang=lang)
except ParameterError:
    st.title(t("ui.nav.graph", lang))
    st.error(t("ui.graph.unknown_node", lang, node=asked))
    start()
    st.stop()
try:
    expanded = graph.expanded_from_param(state.param("expand"))
except ParameterError:
    expanded = ()

missing = t("ui.graph.missing", lang)
st.title(page.title.text(lang))
st.caption(t("ui.graph.names", lang, en=page.label_en or missing, es=page.label_es or missing))
if page.types:
    kinds = ", ".join(node_link(ref) for ref in page.types)
    st.markdown(f"**{t('ui.graph.types', lang)}:** {kinds}")
if page.definition:
    st.markdown(state.linked(md(page.definition)))
if page.text_fallback:
    st.caption(t(f"ui.graph.only_in.{page.text_fallback}", lang))
if page.notes:
    st.header(t("ui.graph.notes", lang))
    for note in page.notes:
        st.markdown(f"- {state.linked(md(note))}")

st.header(t("ui.graph.sources", lang))
if page.confidence is not None:
    st.markdown(t("ui.graph.confidence", lang, confidence=node_link(page.confidence)))
else:
    st.markdown(t("ui.graph.no_confidence", lang))
if page.last_checked:
    st.markdown(t("ui.graph.last_checked", lang, date=page.last_checked))
if page.as_of:
    st.markdown(t("ui.graph.as_of", lang, date=page.as_of))
if page.sources:
    for source in page.sources:
        st.markdown(f"- {source.markdown()}")
else:
    st.caption(t("ui.graph.no_sources", lang))
if page.passages:
    st.header(t("ui.graph.passages", lang))
    for passage in page.passages:
        st.markdown(f"> {passage.quotation}")
        if lang == "es" and passage.translation:
            st.markdown(f"> {passage.translation}")
            st.caption(t("ui.graph.unofficial", lang))
        st.caption(node_link(graph.NodeRef(passage.iri, passage.label)))
st.caption(t("ui.graph.files", lang, files=", ".join(page.files)))

for heading, links, more in (
    ("ui.graph.links_out", page.outgoing, page.more_outgoing),
    ("ui.graph.links_in", page.incoming, page.more_incoming),
):
    st.header(t(heading, lang))
    if not links:
        st.markdown(t("ui.graph.no_links", lang))
    for link in links:
        st.markdown(f"- {link.property_label}: {node_link(link.node)}")
    if more:
        st.caption(t("ui.graph.more", lang, count=more))

st.header(t("ui.graph.neighbourhood", lang))
st.caption(t("ui.graph.click_help", lang))
nb: graph.Neighbourhood = state.cached(graph.neighbourhood, iri, lang=lang, expanded=expanded)
event = st.vega_lite_chart(
    graph.neighbourhood_chart(nb, lang=lang),
    on_select="rerun",
    selection_mode="node",
    key=f"graph-{nb.key}",
)
move = graph.after_click(nb, graph.selected_node(event))
if move is not None:
    center, now_expanded = move
    state.set_param("node", node_param(center))
    state.set_param("expand", graph.expanded_param(now_expanded))
    st.rerun()
if nb.hidden:
    st.caption(t("ui.graph.hidden", lang, count=nb.hidden))
if nb.expanded and st.button(t("ui.graph.reset", lang)):
    state.set_param("expand", None)
    st.rerun()
with st.expander(t("ui.graph.text_equivalent", lang)):
    st.markdown("\n".join(f"- {line}" for line in graph.neighbourhood_text(nb)))

correction_box(iri)
