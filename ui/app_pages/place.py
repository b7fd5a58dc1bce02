"""Your place: the plan for one city, town or county's unincorporated area, on screen and as files.

The place comes from the page link (``?place=fresno``) or the picker, which writes it back into the
link. The plan comes whole from the library (:func:`pipeline_atlas.plan.city_plan`, cached through
``state.cached``), the county map from :func:`pipeline_atlas.explore.maps.county_map`, and the
files from :func:`pipeline_atlas.plan.plan_file`; this page only lays them out: the map and its
text, then per stage the flows with their status markers and the plan's sections (what you can
do, who to contact, the law, what still gets through), who governs the place, the programs, and
the four downloads. Words come from the message catalogue (``ui.place.*``, ``plan.*``).
"""

from __future__ import annotations

import functools

import streamlit as st

from pipeline_atlas import AtlasError
from pipeline_atlas.explore.maps import county_map
from pipeline_atlas.explore.search import arrival_note
from pipeline_atlas.i18n import t
from pipeline_atlas.plan import FORMATS, CityPlan, city_plan, flow_statuses
from ui import state
from ui.correction import correction_box

lang = state.language()

st.title(t("ui.place.title", lang))
st.write(t("ui.place.intro", lang))

try:
    everywhere = state.places(lang)
except AtlasError as error:
    st.error(t("ui.place.error", lang, message=error))
    st.stop()

slugs = [p.slug for p in everywhere]
names = {p.slug: p.display(lang=lang) for p in everywhere}
asked = state.param("place")

# The picker's key carries the place and the language of the link, so that a new link (or the
# language switch) shows the right choice with its label in the right language.
chosen = st.selectbox(
    t("ui.place.picker", lang),
    options=slugs,
    index=slugs.index(asked) if asked in slugs else None,
    format_func=lambda slug: names.get(slug, slug),
    key=f"place-picker-{asked}-{lang}",
    placeholder=t("ui.place.placeholder", lang),
    filter_mode="contains",
)
if asked and asked not in slugs:
    st.error(t("ui.place.unknown", lang, place=asked))
state.set_param("place", chosen)

if chosen is None:
    st.info(t("ui.place.prompt", lang))
    st.stop()

try:
    plan: CityPlan = state.cached(city_plan, chosen, lang=lang)
except AtlasError as error:
    st.error(t("ui.place.error", lang, message=error))
    st.stop()

# Arrived from an unincorporated community (the search for "East Los Angeles"): say where it is.
arrived_from = state.param("from")
if arrived_from and (note := state.cached(arrival_note, arrived_from, lang=lang)):
    st.info(note, icon=":material/info:")

st.header(plan.title, anchor="plan", divider="gray")
st.markdown(plan.intro)

figure = state.cached(county_map, plan.county, lang=lang, highlight_place=plan.city_label)
st.subheader(t("ui.place.map", lang, county=plan.county_label), anchor=False)
st.markdown(figure.html, unsafe_allow_html=True)
st.caption(figure.text)

st.subheader(t("ui.place.downloads", lang), anchor=False)
labels = {
    "html": "ui.place.download_html",
    "pdf": "ui.place.download_pdf",
    "md": "ui.place.download_md",
    "csv": "ui.place.download_csv",
}
for column, fmt in zip(st.columns(len(labels)), labels, strict=True):
    column.download_button(
        t(labels[fmt], lang),
        # made when the button is clicked (a PDF takes a moment), from the plan on the page
        data=functools.partial(plan.to_file, fmt),
        file_name=f"pipeline-plan-{plan.slug}-{lang}.{fmt}",
        mime=FORMATS[fmt],
        help=t("ui.place.download_help", lang),
        on_click="ignore",
        icon=":material/download:",
        key=f"download-plan-{fmt}",
    )

st.info(plan.unknown_note)

sections = plan.sections()
st.markdown(
    f"**{t('plan.contents', lang)}**\n\n"
    + "\n".join(f"- [{s.title}](#{s.anchor})" for s in sections if s.level == 2 and s.anchor)
)

stages = {f"stage-{stage.order}": stage for stage in plan.stages}
for section in sections:
    if section.level == 2:
        st.header(section.title, anchor=section.anchor or False, divider="gray")
        stage = stages.get(section.anchor or "")
        if stage is not None:
            st.markdown(flow_statuses(plan, stage))
    else:
        st.subheader(section.title, anchor=False)
    if section.body:
        st.markdown(state.linked(section.body))

st.divider()
st.caption(plan.footer)

correction_box(plan.city, context=plan.place_label)
