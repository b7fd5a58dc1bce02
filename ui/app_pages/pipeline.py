"""The pipeline: the four stages as a left-to-right figure, and a page per stage (``?stage=N``).

Everything shown comes from :mod:`pipeline_atlas.explore.pipeline` (``stages``,
``pipeline_figure``); the page only lays it out: the figure and its text equivalent, a control to
open a stage, and for the stage chosen its actions as cards, its information flows with who can
and cannot block them, the laws in force and the source's own words. Words come from the message
catalogue (``ui.pipeline.*``).
"""

from __future__ import annotations

import streamlit as st

from pipeline_atlas import AtlasError
from pipeline_atlas.explore.pipeline import StageView, pipeline_figure, stages
from pipeline_atlas.i18n import t
from pipeline_atlas.plan.markdown import md
from ui import state


def field(key: str, values: tuple[str, ...] | list[str], lang: str) -> str:
    """A Markdown line ``**Label:** a; b`` (empty when there is nothing to say)."""
    return f"- **{t(key, lang)}:** {'; '.join(md(v) for v in values)}" if values else ""


def show_stage(view: StageView, lang: str) -> None:
    """The page of one stage."""
    st.header(view.heading, anchor=f"stage-{view.order}")
    st.markdown(state.linked(md(view.definition)))

    st.subheader(t("ui.pipeline.actions", lang))
    if not view.actions:
        st.write(t("ui.pipeline.no_actions", lang))
    for card in view.actions:
        with st.container(border=True):
            st.markdown(f"**{md(card.label)}**")
            st.markdown(state.linked(md(card.definition)))
            levels = list(card.levels) or [t("ui.pipeline.level_depends", lang)]
            lines = [
                field("ui.pipeline.whom_to_press", card.target_labels, lang),
                field("ui.pipeline.how", [card.instrument, card.scope], lang),
                field("ui.pipeline.level", levels, lang),
                field("ui.pipeline.what_it_does", card.effects, lang),
                field("ui.pipeline.what_it_blocks", card.blocks, lang),
            ]
            st.markdown("\n".join(line for line in lines if line))

    st.subheader(t("ui.pipeline.flows", lang))
    if not view.flows:
        st.write(t("ui.pipeline.no_flows", lang))
    for flow in view.flows:
        with st.container(border=True):
            st.markdown(f"**{md(flow.label)}**")
            if flow.statement:
                st.warning(flow.statement)
            blockers = [
                t("ui.pipeline.flow_blocker", lang, body=b.label, action=b.action_label)
                for b in flow.blockers
            ]
            lines = [
                field("ui.pipeline.flow_from", flow.agencies, lang),
                field("ui.pipeline.flow_to", [flow.recipient] if flow.recipient else [], lang),
                field("ui.pipeline.flow_data", [flow.data_kind] if flow.data_kind else [], lang),
                field("ui.pipeline.flow_basis", flow.legal_basis, lang),
                field("ui.pipeline.flow_who_can", blockers, lang),
                field("ui.pipeline.flow_laws", [law.label for law in flow.laws], lang),
            ]
            st.markdown("\n".join(line for line in lines if line))
            if flow.note:
                st.caption(flow.note)
            if flow.remaining_gap:
                st.markdown(f"**{t('ui.pipeline.flow_gap', lang)}:** {md(flow.remaining_gap)}")

    st.subheader(t("ui.pipeline.laws", lang))
    if view.laws:
        st.markdown(
            "\n".join(
                "- "
                + md(
                    t("ui.pipeline.law_only_in", lang, law=law.label, places="; ".join(law.places))
                    if law.places
                    else law.label
                )
                for law in view.laws
            )
        )
    else:
        st.write(t("ui.pipeline.no_laws", lang))

    st.subheader(t("ui.pipeline.passages", lang))
    for passage in view.passages:
        if passage.translation:
            st.markdown(f"> {md(passage.translation)}")
            st.caption(
                f"{t('ui.pipeline.unofficial', lang)}. "
                f"{t('ui.pipeline.original', lang)}: “{md(passage.quotation)}”"
            )
        else:
            st.markdown(f"> {md(passage.quotation)}")


lang = state.language()

st.title(t("ui.pipeline.title", lang))
st.write(t("ui.pipeline.intro", lang))

try:
    views: list[StageView] = state.cached(stages, lang=lang)
except AtlasError as error:
    st.error(t("ui.pipeline.error", lang, message=error))
    st.stop()

if not views:
    st.warning(t("ui.pipeline.no_stages", lang))
    st.stop()

figure = pipeline_figure(views, lang=lang)
st.markdown(figure.html, unsafe_allow_html=True)
with st.expander(t("ui.pipeline.figure_in_words", lang)):
    st.markdown(md(figure.text).replace("\n", "  \n"))

orders = [view.order for view in views]
asked = state.param("stage")
current = int(asked) if asked and asked.isdigit() and int(asked) in orders else None
if asked and current is None:
    st.error(t("ui.pipeline.bad_stage", lang, stage=asked, last=max(orders)))

labels = {view.order: f"{view.order}. {view.label}" for view in views}
chosen = st.segmented_control(
    t("ui.pipeline.choose_stage", lang),
    options=orders,
    format_func=lambda order: labels[order],
    default=current,
    key=f"pipeline-stage-{lang}-{asked}",
)
if chosen != current:
    state.set_param("stage", str(chosen) if chosen else None)

if chosen:
    show_stage(next(view for view in views if view.order == chosen), lang)

st.divider()
st.caption(t("ui.pipeline.footer", lang))
