"""Glossary: every term in the reader's language; ``?term=<slug>`` opens one term first.

Everything shown comes from :mod:`pipeline_atlas.explore.glossary`; words from the message
catalogue (``ui.glossary.*``).
"""

from __future__ import annotations

import streamlit as st

from pipeline_atlas.explore.glossary import GlossaryEntry, entry, glossary
from pipeline_atlas.i18n import t
from pipeline_atlas.plan.markdown import md
from ui import state


def show(item: GlossaryEntry, lang: str, *, chosen: bool = False) -> None:
    """One term: its names, definition, nodes of the graph, sources, how sure, last checked."""
    with st.container(border=True):
        if chosen:
            st.header(item.term, anchor=item.slug)
        else:
            st.subheader(item.term, anchor=item.slug)
        if item.alt_labels:
            st.caption(t("ui.glossary.also", lang, names="; ".join(item.alt_labels)))
        st.write(item.definition)
        if item.related:
            links = ", ".join(
                f"[{md(r.label)}]({state.link(state.GRAPH, node=r.node)})" for r in item.related
            )
            st.markdown(t("ui.glossary.related", lang, links=links))
        st.caption(
            t(
                "ui.glossary.checked",
                lang,
                confidence=item.confidence or "—",
                date=item.last_checked or "—",
            )
        )
        with st.expander(t("ui.glossary.sources", lang)):
            st.markdown("\n".join(f"- {md(source)}" for source in item.sources))
            if item.links:
                st.markdown(" · ".join(f"[{md(url)}]({url})" for url in item.links))


lang = state.language()
st.title(t("ui.glossary.title", lang))
st.write(t("ui.glossary.intro", lang))

entries: list[GlossaryEntry] = state.cached(glossary, lang=lang)
asked = state.param("term")
chosen = entry(entries, asked)
if asked and chosen is None:
    st.info(t("ui.glossary.unknown", lang, term=asked))

slugs = [None, *(e.slug for e in entries)]
names = {e.slug: e.term for e in entries}
picked = st.selectbox(
    t("ui.glossary.pick", lang),
    slugs,
    index=slugs.index(chosen.slug) if chosen else 0,
    format_func=lambda slug: names[slug] if slug else t("ui.glossary.all", lang),
    key=f"glossary-pick-{lang}-{chosen.slug if chosen else ''}",
)
if picked != (chosen.slug if chosen else None):
    state.set_param("term", picked)
    st.rerun()

if chosen is not None:
    show(chosen, lang, chosen=True)
    st.divider()
for item in entries:
    if chosen is None or item.slug != chosen.slug:
        show(item, lang)
