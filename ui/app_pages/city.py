"""Your city: a plan for one city or town, on screen and as a file to print.

The reader picks one of California's 482 cities and towns. The plan comes whole from the library
(``pipeline_atlas.plan``, through the cached ``state.city_plan``); this page only lays it out: one
heading per stage with who to contact, what the law already does and what still gets through, then
who governs the city and the representation programs. Plain text and lists, no tables, so that it
reads on a phone and prints well. Its words come from the message catalogue (keys ``ui.city.*``).
"""

from __future__ import annotations

import streamlit as st

from pipeline_atlas import AtlasError
from pipeline_atlas.i18n import t
from ui import state

CITY_KEY = "city"
SHOWN_IN_KEY = "city-page-language"

lang = state.language()

st.title(t("ui.city.title", lang))
st.write(t("ui.city.intro", lang))

try:
    names = {place.slug: place.display(lang=lang) for place in state.places(lang)}
except AtlasError as error:
    st.error(t("ui.city.error", lang, message=error))
    st.stop()

# The picker keeps the chosen city when the language changes, but the browser would go on showing
# its label in the old language: setting the value again makes Streamlit send the new label.
if st.session_state.get(SHOWN_IN_KEY) != lang:
    if st.session_state.get(CITY_KEY) in names:
        st.session_state[CITY_KEY] = st.session_state[CITY_KEY]
    st.session_state[SHOWN_IN_KEY] = lang

city = st.selectbox(
    t("ui.city.picker", lang),
    options=list(names),
    index=None,
    format_func=lambda slug: names.get(slug, slug),
    key=CITY_KEY,
    placeholder=t("ui.city.placeholder", lang),
    filter_mode="contains",
    persist_state="session",
)

if city is None:
    st.info(t("ui.city.prompt", lang))
    st.stop()

try:
    plan = state.city_plan(city, lang)
except AtlasError as error:
    st.error(t("ui.city.error", lang, message=error))
    st.stop()

st.download_button(
    t("ui.city.download", lang),
    data=plan.to_markdown(),
    file_name=f"pipeline-plan-{plan.slug}-{lang}.md",
    mime="text/markdown",
    help=t("ui.city.download_help", lang),
    on_click="ignore",
    icon=":material/download:",
    key="download-plan",
)
st.info(plan.unknown_note)

sections = plan.sections()
st.markdown(
    f"**{t('ui.city.contents', lang)}**\n\n"
    + "\n".join(f"- [{s.title}](#{s.anchor})" for s in sections if s.level == 2 and s.anchor)
)

for section in sections:
    if section.level == 2:
        st.header(section.title, anchor=section.anchor or False, divider="gray")
    else:
        st.subheader(section.title, anchor=False)
    if section.body:
        st.markdown(section.body)

st.divider()
st.caption(plan.footer)
